import { Button } from '@leafygreen-ui/button';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import {
  type Phase,
  WORKSPACE_LIMITS,
  WORKSTREAM_STATUSES,
  type Workstream,
  type WorkstreamStatus,
} from '../../../../contract/api/workspace.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useCreateWorkstream, useUpdateWorkstream } from './queries.ts';
import { Field, workstreamStatusLabel } from './workspaceUi.tsx';

/** The workstreams table; admins add and edit them. */
export function WorkstreamsSection({
  workstreams,
  phases,
  canEdit,
}: {
  workstreams: Workstream[];
  phases: Phase[];
  canEdit: boolean;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const phaseName = (id: string | null) => phases.find((p) => p.id === id)?.name ?? '—';
  const current = workstreams.find((w) => w.id === editing);
  return (
    <section className="ws-section" aria-labelledby="ws-workstreams">
      <H3 id="ws-workstreams">Workstreams</H3>
      {workstreams.length === 0 ? (
        <Body className="empty">No workstreams yet.</Body>
      ) : (
        <Table aria-label="Workstreams" data-testid="workstreams">
          <TableHead>
            <HeaderRow>
              <HeaderCell>Workstream</HeaderCell>
              <HeaderCell>Owner</HeaderCell>
              <HeaderCell>Status</HeaderCell>
              <HeaderCell>Phase</HeaderCell>
              {canEdit && <HeaderCell>Edit</HeaderCell>}
            </HeaderRow>
          </TableHead>
          <TableBody>
            {workstreams.map((w) => (
              <Row key={w.id} data-testid="workstream-row">
                <Cell>
                  <AppLink to={`/admin/workspace/workstream/${w.id}`}>{w.name}</AppLink>
                </Cell>
                <Cell>{w.owner}</Cell>
                <Cell>{workstreamStatusLabel(w.status)}</Cell>
                <Cell>{phaseName(w.phaseId)}</Cell>
                {canEdit && (
                  <Cell>
                    <Button size="xsmall" onClick={() => setEditing(w.id)}>
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
        <WorkstreamForm
          key={current.id}
          phases={phases}
          workstream={current}
          onDone={() => setEditing(null)}
        />
      )}
      {canEdit && editing === null && (
        <details className="ws-new">
          <summary>Add a workstream</summary>
          <WorkstreamForm phases={phases} />
        </details>
      )}
    </section>
  );
}

export function WorkstreamForm({
  phases,
  workstream,
  onDone,
}: {
  phases: Phase[];
  workstream?: Workstream;
  onDone?: () => void;
}) {
  const create = useCreateWorkstream();
  const update = useUpdateWorkstream(workstream?.id ?? '');
  const mutation = workstream ? update : create;
  const [name, setName] = useState(workstream?.name ?? '');
  const [owner, setOwner] = useState(workstream?.owner ?? '');
  const [description, setDescription] = useState(workstream?.description ?? '');
  const [status, setStatus] = useState<WorkstreamStatus>(workstream?.status ?? 'in_discovery');
  const [phaseId, setPhaseId] = useState(workstream?.phaseId ?? '');
  const reset = () => {
    setName('');
    setOwner('');
    setDescription('');
  };
  return (
    <form
      className="ws-form"
      aria-label={workstream ? `Edit ${workstream.name}` : 'New workstream'}
      onSubmit={(event) => {
        event.preventDefault();
        const fields = { name, owner, description, status, phaseId: phaseId === '' ? null : phaseId };
        if (workstream)
          update.mutate({ ...fields, version: workstream.version }, { onSuccess: () => onDone?.() });
        else create.mutate(fields, { onSuccess: reset });
      }}
    >
      <strong>{workstream ? `Edit ${workstream.name}` : 'New workstream'}</strong>
      <Field label="Name">
        {(id) => (
          <input
            id={id}
            value={name}
            maxLength={WORKSPACE_LIMITS.name}
            onChange={(e) => setName(e.target.value)}
          />
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
      <Field label="Status">
        {(id) => (
          <select id={id} value={status} onChange={(e) => setStatus(e.target.value as WorkstreamStatus)}>
            {WORKSTREAM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {workstreamStatusLabel(s)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Phase">
        {(id) => (
          <select id={id} value={phaseId} onChange={(e) => setPhaseId(e.target.value)}>
            <option value="">No phase</option>
            {phases.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
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
          {workstream ? 'Save workstream' : 'Add workstream'}
        </Button>
        {onDone && (
          <Button type="button" onClick={onDone}>
            Cancel
          </Button>
        )}
      </div>
      <ProblemNotice error={mutation.error} what="Couldn't save the workstream" />
    </form>
  );
}
