import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import {
  RISK_LEVELS,
  RISK_STATUSES,
  type Risk,
  type RiskLevel,
  type RiskStatus,
  WORKSPACE_LIMITS,
  type Workstream,
} from '../../../../contract/api/workspace.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useCreateRisk, useRisks, useUpdateRisk } from './queries.ts';
import { Field, RiskLevelBadge, riskStatusLabel } from './workspaceUi.tsx';

/** Open blockers first (they make the rollout verdict no-go), then the risks table with filters and forms. */
export function RisksSection({ workstreams, canEdit }: { workstreams: Workstream[]; canEdit: boolean }) {
  const [level, setLevel] = useState('');
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const risks = useRisks({ level, status });
  const items = risks.data?.items ?? [];
  const current = items.find((r) => r.id === editing);
  return (
    <section className="ws-section" aria-labelledby="ws-risks">
      <H3 id="ws-risks">Risks</H3>
      <div className="ws-filters">
        <Field label="Level">
          {(id) => (
            <select id={id} value={level} onChange={(e) => setLevel(e.target.value)}>
              <option value="">Any level</option>
              {RISK_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Status">
          {(id) => (
            <select id={id} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">Any status</option>
              {RISK_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {riskStatusLabel(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {risks.isError && <ProblemNotice error={risks.error} what="Couldn't load the risks" />}
      {risks.data && items.length === 0 && <Body className="empty">No risks match.</Body>}
      {items.length > 0 && (
        <Table aria-label="Risks" data-testid="risks">
          <TableHead>
            <HeaderRow>
              <HeaderCell>Risk</HeaderCell>
              <HeaderCell>Level</HeaderCell>
              <HeaderCell>Status</HeaderCell>
              <HeaderCell>Owner</HeaderCell>
              <HeaderCell>Mitigation</HeaderCell>
              {canEdit && <HeaderCell>Edit</HeaderCell>}
            </HeaderRow>
          </TableHead>
          <TableBody>
            {items.map((r) => (
              <Row
                key={r.id}
                className={r.blocking ? 'ws-risk--blocking' : undefined}
                data-testid="risk-row"
                data-blocking={r.blocking}
              >
                <Cell>
                  <AppLink to={`/admin/workspace/risk/${r.id}`}>{r.title}</AppLink>
                  {r.workstream && <div className="muted">{r.workstream.name}</div>}
                </Cell>
                <Cell>
                  <RiskLevelBadge level={r.level} />
                  {r.blocking && <strong className="ws-blocking"> blocks rollout</strong>}
                </Cell>
                <Cell>{riskStatusLabel(r.status)}</Cell>
                <Cell>{r.owner}</Cell>
                <Cell>{r.mitigation}</Cell>
                {canEdit && (
                  <Cell>
                    <Button size="xsmall" onClick={() => setEditing(r.id)}>
                      Edit
                    </Button>
                  </Cell>
                )}
              </Row>
            ))}
          </TableBody>
        </Table>
      )}
      {canEdit && current && (
        <RiskForm key={current.id} risk={current} workstreams={workstreams} onDone={() => setEditing(null)} />
      )}
      {canEdit && editing === null && (
        <details className="ws-new">
          <summary>Add a risk</summary>
          <RiskForm workstreams={workstreams} />
        </details>
      )}
    </section>
  );
}

/** The banner over the page while any blocker is open or being mitigated. */
export function BlockersBanner({ risks }: { risks: Risk[] }) {
  const blocking = risks.filter((r) => r.blocking);
  if (blocking.length === 0) return null;
  return (
    <Banner variant="danger" data-testid="open-blockers">
      {blocking.length === 1 ? 'One open blocker makes' : `${blocking.length} open blockers make`} the rollout
      verdict no-go:{' '}
      {blocking.map((r, i) => (
        <span key={r.id}>
          {i > 0 ? ', ' : ''}
          <AppLink to={`/admin/workspace/risk/${r.id}`}>{r.title}</AppLink> ({r.owner})
        </span>
      ))}
    </Banner>
  );
}

export function RiskForm({
  risk,
  workstreams,
  onDone,
}: {
  risk?: Risk;
  workstreams: Workstream[];
  onDone?: () => void;
}) {
  const create = useCreateRisk();
  const update = useUpdateRisk(risk?.id ?? '');
  const mutation = risk ? update : create;
  const [title, setTitle] = useState(risk?.title ?? '');
  const [level, setLevel] = useState<RiskLevel>(risk?.level ?? 'medium');
  const [status, setStatus] = useState<RiskStatus>(risk?.status ?? 'open');
  const [owner, setOwner] = useState(risk?.owner ?? '');
  const [mitigation, setMitigation] = useState(risk?.mitigation ?? '');
  const [description, setDescription] = useState(risk?.description ?? '');
  const [workstreamId, setWorkstreamId] = useState(risk?.workstream?.id ?? '');
  const reset = () => {
    setTitle('');
    setOwner('');
    setMitigation('');
    setDescription('');
  };
  return (
    <form
      className="ws-form"
      aria-label={risk ? `Edit ${risk.title}` : 'New risk'}
      onSubmit={(event) => {
        event.preventDefault();
        const fields = {
          title,
          level,
          status,
          owner,
          mitigation,
          description,
          workstreamId: workstreamId === '' ? null : workstreamId,
        };
        if (risk) update.mutate({ ...fields, version: risk.version }, { onSuccess: () => onDone?.() });
        else create.mutate(fields, { onSuccess: reset });
      }}
    >
      <strong>{risk ? `Edit ${risk.title}` : 'New risk'}</strong>
      <Field label="Title">
        {(id) => (
          <input
            id={id}
            value={title}
            maxLength={WORKSPACE_LIMITS.name}
            onChange={(e) => setTitle(e.target.value)}
          />
        )}
      </Field>
      <Field label="Level">
        {(id) => (
          <select id={id} value={level} onChange={(e) => setLevel(e.target.value as RiskLevel)}>
            {RISK_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Status">
        {(id) => (
          <select id={id} value={status} onChange={(e) => setStatus(e.target.value as RiskStatus)}>
            {RISK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {riskStatusLabel(s)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Owner">
        {(id) => (
          <input
            id={id}
            value={owner}
            maxLength={WORKSPACE_LIMITS.owner}
            onChange={(e) => setOwner(e.target.value)}
          />
        )}
      </Field>
      <Field label="Workstream">
        {(id) => (
          <select id={id} value={workstreamId} onChange={(e) => setWorkstreamId(e.target.value)}>
            <option value="">None</option>
            {workstreams.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Mitigation">
        {(id) => (
          <textarea
            id={id}
            rows={2}
            value={mitigation}
            maxLength={WORKSPACE_LIMITS.mitigation}
            onChange={(e) => setMitigation(e.target.value)}
          />
        )}
      </Field>
      <Field label="Description">
        {(id) => (
          <textarea
            id={id}
            rows={2}
            value={description}
            maxLength={WORKSPACE_LIMITS.description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <div className="ws-form__actions">
        <Button type="submit" variant="primary" disabled={mutation.isPending}>
          {risk ? 'Save risk' : 'Add risk'}
        </Button>
        {onDone && (
          <Button type="button" onClick={onDone}>
            Cancel
          </Button>
        )}
      </div>
      <ProblemNotice error={mutation.error} what="Couldn't save the risk" />
    </form>
  );
}
