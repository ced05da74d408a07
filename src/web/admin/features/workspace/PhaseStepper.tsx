import { Button } from '@leafygreen-ui/button';
import { Body, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { VERDICT_LABEL } from '../../../../contract/api/readiness.ts';
import { type Phase, WORKSPACE_LIMITS } from '../../../../contract/api/workspace.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useUpdatePhase } from './queries.ts';
import { Field, GateBadge, PhaseStateBadge } from './workspaceUi.tsx';

/** The phases in order, each with its exit gates' live status; admins edit owner, date, description, gates. */
export function PhaseStepper({ phases, canEdit }: { phases: Phase[]; canEdit: boolean }) {
  return (
    <section className="ws-section" aria-labelledby="ws-phases">
      <H3 id="ws-phases">Phases</H3>
      <Body className="muted">
        A phase is complete when every exit gate passes in the live{' '}
        <AppLink to="/admin/readiness">readiness model</AppLink>; the first incomplete phase is current.
      </Body>
      <ol className="ws-stepper" data-testid="phase-stepper">
        {phases.map((phase) => (
          <li
            key={phase.id}
            className={`ws-step ws-step--${phase.state}`}
            data-testid="phase"
            data-phase-id={phase.id}
            data-state={phase.state}
          >
            <PhaseCard phase={phase} canEdit={canEdit} />
          </li>
        ))}
      </ol>
    </section>
  );
}

export function PhaseCard({ phase, canEdit }: { phase: Phase; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const passed = phase.exitGates.filter((g) => g.status === 'pass').length;
  return (
    <div className="ws-step__card">
      <div className="ws-step__head">
        <span className="ws-step__number">{phase.position}</span>
        <AppLink to={`/admin/workspace/phase/${encodeURIComponent(phase.id)}`} className="ws-step__name">
          {phase.name}
        </AppLink>
        <PhaseStateBadge state={phase.state} />
      </div>
      <Body className="muted">
        {phase.owner}
        {phase.targetDate !== null ? ` · target ${phase.targetDate}` : ''} · {passed}/{phase.exitGates.length}{' '}
        exit gates pass
      </Body>
      {phase.description !== '' && <Body>{phase.description}</Body>}
      <ul className="ws-gates">
        {phase.exitGates.map((gate) => (
          <li key={gate.id} data-gate-id={gate.id}>
            <GateBadge status={gate.status} /> <AppLink to="/admin/readiness">{gate.title}</AppLink>{' '}
            <code className="muted">{gate.id}</code>
          </li>
        ))}
        {phase.verdict !== null && (
          <li data-testid="phase-verdict" data-verdict={phase.verdict}>
            <GateBadge
              status={phase.verdict === 'no_go' ? 'fail' : phase.verdict === 'go' ? 'pass' : 'warn'}
            />{' '}
            Readiness verdict: <AppLink to="/admin/readiness">{VERDICT_LABEL[phase.verdict]}</AppLink>
          </li>
        )}
      </ul>
      {canEdit && !editing && (
        <Button size="xsmall" onClick={() => setEditing(true)}>
          Edit phase
        </Button>
      )}
      {canEdit && editing && <PhaseForm phase={phase} onDone={() => setEditing(false)} />}
    </div>
  );
}

function PhaseForm({ phase, onDone }: { phase: Phase; onDone: () => void }) {
  const update = useUpdatePhase(phase.id);
  const [owner, setOwner] = useState(phase.owner);
  const [description, setDescription] = useState(phase.description);
  const [targetDate, setTargetDate] = useState(phase.targetDate ?? '');
  const [gates, setGates] = useState(phase.exitGates.map((g) => g.id).join('\n'));
  return (
    <form
      className="ws-form"
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate(
          {
            owner,
            description,
            targetDate: targetDate === '' ? null : targetDate,
            exitGates: gates
              .split(/[\s,]+/)
              .map((g) => g.trim())
              .filter((g) => g !== ''),
            version: phase.version,
          },
          { onSuccess: onDone },
        );
      }}
    >
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
      <Field label="Target date">
        {(id) => (
          <input id={id} type="date" value={targetDate} onChange={(e) => setTargetDate(e.target.value)} />
        )}
      </Field>
      <Field label="Description">
        {(id) => (
          <textarea
            id={id}
            rows={3}
            value={description}
            maxLength={WORKSPACE_LIMITS.description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <Field label="Exit gates (readiness gate ids, one per line)">
        {(id) => <textarea id={id} rows={6} value={gates} onChange={(e) => setGates(e.target.value)} />}
      </Field>
      <div className="ws-form__actions">
        <Button type="submit" variant="primary" disabled={update.isPending}>
          Save phase
        </Button>
        <Button type="button" onClick={onDone}>
          Cancel
        </Button>
      </div>
      <ProblemNotice error={update.error} what="Couldn't save the phase" />
    </form>
  );
}
