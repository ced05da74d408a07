import { Button } from '@leafygreen-ui/button';
import { Body, H1, H2 } from '@leafygreen-ui/typography';
import { useMemo, useState } from 'react';
import type { Decision } from '../../../../contract/api/decisions.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { CommentThread } from '../workspace/CommentThread.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import { DecisionHistoryList } from './DecisionHistory.tsx';
import { changesOf, draftOf, hasChanges, rebase } from './draft.ts';
import { DueDate, StatusBadge } from './fields.tsx';
import { DECISIONS_PATH, decisionHref } from './listUrl.ts';
import { useAllDecisions, useDecision, useReloadDecision, useUpdateDecision } from './queries.ts';

function Facts({ decision: d }: { decision: Decision }) {
  return (
    <dl className="dc-facts" data-testid="decision-facts">
      <dt>Workstream</dt>
      <dd>{d.workstream}</dd>
      <dt>Owner</dt>
      <dd>{d.owner}</dd>
      <dt>Status</dt>
      <dd>
        <StatusBadge status={d.status} />
      </dd>
      <dt>Direction</dt>
      <dd className="dc-text">{d.direction || <span className="dc-muted">Not decided yet</span>}</dd>
      <dt>Depends on</dt>
      <dd>
        {d.dependsOn.length === 0 ? (
          <span className="dc-muted">—</span>
        ) : (
          <ul className="dc-dep-list">
            {d.dependsOn.map((dep) => (
              <li key={dep.id}>
                <AppLink to={decisionHref(dep.id)} className="dc-ref">
                  {dep.ref}
                </AppLink>{' '}
                {dep.title} <StatusBadge status={dep.status} />
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Next action</dt>
      <dd className="dc-text">{d.nextAction || <span className="dc-muted">—</span>}</dd>
      <dt>Due date</dt>
      <dd>
        <DueDate dueDate={d.dueDate} overdue={d.overdue} />
      </dd>
      <dt>Version</dt>
      <dd data-testid="decision-version-number">
        {d.version} · {dateTime(d.updatedAt)}
        {d.updatedBy ? ` by ${d.updatedBy.name}` : ' (seeded)'}
      </dd>
    </dl>
  );
}

/** The edit form: sends only the changed fields with the version it was opened from. */
function EditDecision({ decision, onDone }: { decision: Decision; onDone: () => void }) {
  const update = useUpdateDecision(decision.id);
  const reload = useReloadDecision(decision.id);
  const [base, setBase] = useState(() => ({ draft: draftOf(decision), version: decision.version }));
  return (
    <section aria-labelledby="dc-edit">
      <H2 id="dc-edit" className="dc-section-title">
        Edit {decision.ref}
      </H2>
      <DecisionForm
        initial={base.draft}
        selfId={decision.id}
        submitLabel="Save"
        pending={update.isPending}
        onCancel={onDone}
        submit={async (draft) => {
          if (hasChanges(draft, base.draft))
            await update.mutateAsync(changesOf(draft, base.draft, base.version));
          onDone();
        }}
        reloadLatest={async (draft) => {
          const latest = await reload();
          const latestDraft = draftOf(latest);
          const next = rebase(draft, base.draft, latestDraft);
          setBase({ draft: latestDraft, version: latest.version });
          return next;
        }}
      />
    </section>
  );
}

/** /admin/decisions/<id>: the decision, the edit form for admins, and its history. */
export function DecisionDetail({ id, canWrite }: { id: string; canWrite: boolean }) {
  const decision = useDecision(id);
  const register = useAllDecisions();
  const [editing, setEditing] = useState(false);
  const refs = useMemo(
    () => new Map((register.data?.items ?? []).map((d) => [d.id, `${d.ref} ${d.title}`])),
    [register.data],
  );
  return (
    <main className="admin-main dc-page">
      <AppLink to={DECISIONS_PATH} className="dc-back">
        ← All decisions
      </AppLink>
      {decision.isPending && <Body aria-live="polite">Loading…</Body>}
      <ProblemNotice error={decision.error} what="Couldn't load this decision" />
      {decision.data && (
        <>
          <div className="page-head">
            <H1>
              {decision.data.ref} · {decision.data.title}
            </H1>
            {canWrite && !editing && (
              <Button variant="primary" onClick={() => setEditing(true)}>
                Edit
              </Button>
            )}
          </div>
          {editing && canWrite ? (
            <EditDecision decision={decision.data} onDone={() => setEditing(false)} />
          ) : (
            <Facts decision={decision.data} />
          )}
          <DecisionHistoryList id={id} refs={refs} />
          <CommentThread targetType="decision" targetId={id} />
        </>
      )}
    </main>
  );
}
