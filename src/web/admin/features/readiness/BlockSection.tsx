import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { H3 } from '@leafygreen-ui/typography';
import { Fragment, useState } from 'react';
import type { Attestation, GateResult, ReadinessBlock } from '../../../../contract/api/readiness.ts';
import { dateTime } from '../../../ui/format.ts';
import { hasSessionDraft } from '../../sessionState.ts';
import { AttestationControls, attestDraftKey } from './AttestationControls.tsx';
import { STATUS_LABEL, STATUS_VARIANT } from './readinessModel.ts';

export function StatusBadge({ status }: { status: GateResult['status'] }) {
  return (
    <Badge variant={STATUS_VARIANT[status]} data-testid="status-badge" data-status={status}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}

/**
 * The live report's current attestations (who attested, when, the note) and whether this person gets the edit
 * controls (admins). Null for a read-only report: a snapshot.
 */
export interface GateEditing {
  attestations: ReadonlyMap<string, Attestation>;
  editable: boolean;
}

function EvidenceList({ gate }: { gate: GateResult }) {
  const entries = Object.entries(gate.evidence);
  if (entries.length === 0) return <p className="muted">No evidence recorded.</p>;
  return (
    <dl className="gate-evidence" data-testid="gate-evidence">
      {entries.map(([key, value]) => (
        <Fragment key={key}>
          <dt>
            <code>{key}</code>
          </dt>
          <dd>{value === null ? <span className="muted">none</span> : String(value)}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function ManualFacts({ gate, attestation }: { gate: GateResult; attestation: Attestation | undefined }) {
  if (gate.kind !== 'manual') return null;
  return (
    <div className="gate-manual" data-testid="gate-attestation">
      {gate.evidenceUrl === null ? (
        <p className="muted">Not attested: a person confirms this gate with evidence.</p>
      ) : (
        <p>
          Evidence:{' '}
          <a href={gate.evidenceUrl} target="_blank" rel="noopener noreferrer">
            {gate.evidenceUrl}
          </a>
          {gate.expiresAt !== null && <> · expires {dateTime(gate.expiresAt)}</>}
        </p>
      )}
      {attestation !== undefined && (
        <p className="muted">
          Attested {attestation.status} by {attestation.attestedBy?.name ?? 'the CLI'},{' '}
          {dateTime(attestation.attestedAt)}
          {attestation.note === null ? '' : ` — ${attestation.note}`}
        </p>
      )}
    </div>
  );
}

function GateRow({ gate, editing }: { gate: GateResult; editing: GateEditing | null }) {
  const manualEditable = editing?.editable === true && gate.kind === 'manual';
  const [open, setOpen] = useState(() => manualEditable && hasSessionDraft(attestDraftKey(gate.id)));
  const detailsId = `gate-details-${gate.id.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  const attestation = editing?.attestations.get(gate.id);
  return (
    <>
      <tr data-testid="gate-row" data-gate-id={gate.id} data-status={gate.status}>
        <td>
          <StatusBadge status={gate.status} />
        </td>
        <td>
          <Badge variant={gate.priority === 'P0' ? 'darkgray' : 'lightgray'}>{gate.priority}</Badge>
        </td>
        <td>
          <div className="gate-title">{gate.title}</div>
          <code className="gate-id">{gate.id}</code>
          {gate.kind === 'manual' && <span className="muted"> · manual</span>}
        </td>
        <td className="gate-reason">{gate.reason}</td>
        <td>
          {gate.owner ?? <span className="muted">—</span>}
          {gate.expiresAt !== null && (
            <div className="muted nowrap">attested until {dateTime(gate.expiresAt)}</div>
          )}
        </td>
        <td>
          <Button
            size="xsmall"
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide' : 'Details'}
            <span className="visually-hidden"> of {gate.title}</span>
          </Button>
        </td>
      </tr>
      {open && (
        <tr className="gate-more">
          <td colSpan={6}>
            <div id={detailsId} className="gate-details" data-testid="gate-details">
              <EvidenceList gate={gate} />
              {gate.status !== 'pass' && (
                <p className="gate-fix">
                  <strong>How to fix: </strong>
                  {gate.fix}
                </p>
              )}
              {gate.status === 'pass' && gate.fix !== '' && (
                <p className="muted gate-fix">If it fails: {gate.fix}</p>
              )}
              <ManualFacts gate={gate} attestation={attestation} />
              {manualEditable && <AttestationControls gate={gate} attestation={attestation} />}
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

/** A block of gates: heading with its worst status, then a table of gates that open to evidence and fix. */
export function BlockSection({
  block,
  editing,
  idPrefix,
  level = 'h3',
}: {
  block: ReadinessBlock;
  editing: GateEditing | null;
  /** Keeps heading ids unique when a snapshot is shown next to the live report. */
  idPrefix: string;
  /** h3 under "Gates"; h4 inside a snapshot (under its own h3). */
  level?: 'h3' | 'h4';
}) {
  const headingId = `${idPrefix}-block-${block.id}`;
  return (
    <section
      className="readiness-block"
      aria-labelledby={headingId}
      data-testid="readiness-block"
      data-block={block.id}
      data-status={block.status}
    >
      <div className="readiness-block__head">
        <H3 as={level} id={headingId}>
          {block.label}
        </H3>
        <StatusBadge status={block.status} />
      </div>
      {block.gates.length === 0 ? (
        <p className="muted">No gates in this block.</p>
      ) : (
        <div className="table-scroll">
          <table className="gate-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
                <th scope="col">Gate</th>
                <th scope="col">Reason</th>
                <th scope="col">Owner</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {block.gates.map((gate) => (
                <GateRow key={gate.id} gate={gate} editing={editing} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
