import { Badge } from '@leafygreen-ui/badge';
import { type ReactNode, useId } from 'react';
import type { GateStatus } from '../../../../contract/api/readiness.ts';
import {
  MENTION_SOURCE,
  type Mention,
  type PhaseState,
  RISK_LEVEL_LABEL,
  RISK_STATUS_LABEL,
  type RiskLevel,
  type RiskStatus,
  WORKSTREAM_STATUS_LABEL,
  type WorkstreamStatus,
} from '../../../../contract/api/workspace.ts';

/** Small shared pieces of the program workspace: badges, labelled fields, comment text with mentions. */

type Variant = 'lightgray' | 'darkgray' | 'red' | 'yellow' | 'blue' | 'green';

const GATE_VARIANT: Record<GateStatus, Variant> = { pass: 'green', warn: 'yellow', fail: 'red' };
export function GateBadge({ status }: { status: GateStatus }) {
  return (
    <Badge variant={GATE_VARIANT[status]} data-testid="gate-status" data-status={status}>
      {status}
    </Badge>
  );
}

const STATE_VARIANT: Record<PhaseState, Variant> = {
  complete: 'green',
  current: 'blue',
  upcoming: 'lightgray',
};
const STATE_LABEL: Record<PhaseState, string> = {
  complete: 'Complete',
  current: 'Current',
  upcoming: 'Upcoming',
};
export function PhaseStateBadge({ state }: { state: PhaseState }) {
  return (
    <Badge variant={STATE_VARIANT[state]} data-testid="phase-state" data-state={state}>
      {STATE_LABEL[state]}
    </Badge>
  );
}

const LEVEL_VARIANT: Record<RiskLevel, Variant> = {
  low: 'lightgray',
  medium: 'yellow',
  high: 'red',
  blocker: 'red',
};
export function RiskLevelBadge({ level }: { level: RiskLevel }) {
  return (
    <Badge variant={LEVEL_VARIANT[level]} data-level={level}>
      {RISK_LEVEL_LABEL[level]}
    </Badge>
  );
}

export const riskStatusLabel = (status: RiskStatus) => RISK_STATUS_LABEL[status];
export const workstreamStatusLabel = (status: WorkstreamStatus) => WORKSTREAM_STATUS_LABEL[status];

/** A native control with its label (and the field error under it, if any). */
export function Field({
  label,
  error,
  children,
}: {
  label: string;
  error?: string | undefined;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="ws-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {error !== undefined && <span className="ws-field__error">{error}</span>}
    </div>
  );
}

/** The comment body as text, each resolved @handle shown as the person's name; unknown handles stay as typed. */
export function MentionText({ body, mentions }: { body: string; mentions: Mention[] }) {
  const byHandle = new Map(mentions.map((m) => [m.handle, m]));
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of body.matchAll(new RegExp(MENTION_SOURCE, 'gi'))) {
    const person = byHandle.get((match[1] ?? '').toLowerCase());
    if (!person || match.index === undefined) continue;
    parts.push(body.slice(last, match.index));
    parts.push(
      <strong key={`${match.index}`} className="ws-mention" title={`@${person.handle}`}>
        @{person.name}
      </strong>,
    );
    last = match.index + match[0].length;
  }
  parts.push(body.slice(last));
  return <span className="ws-comment__body">{parts}</span>;
}
