import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  BugAssigneeList,
  BugReport,
  BugReportNote,
  BugReportNoteCreate,
  BugReportUpdate,
} from '../../../contract/api/bug-reports.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { effectiveAccessFor } from '../access/entitlements.service.ts';
import { filterGroups } from '../access/groups.ts';
import { audit } from '../audit/audit.service.ts';
import { activeModel } from '../claims-model/claims-model.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeBugReports } from './bug-reports.policy.ts';
import * as repo from './bug-reports.repo.ts';
import type { BugReportDeps } from './bug-reports.service.ts';

type UpdateInput = z.output<typeof BugReportUpdate>;
type NoteInput = z.output<typeof BugReportNoteCreate>;

/** People evaluated for the assignee picker: an admin team is small; this bounds the work of one request. */
const MAX_CANDIDATES = 500;

type PersonRow = NonNullable<Awaited<ReturnType<typeof repo.findPerson>>>;

/** Whether this person is an admin right now (their effective access, as at sign-in: role mapping + exceptions). */
async function isActiveAdmin(
  deps: BugReportDeps,
  person: PersonRow,
  groupFilter: Parameters<typeof filterGroups>[1],
) {
  if (person.status === 'deactivated') return false;
  const groups = filterGroups(person.groups, groupFilter);
  const { access } = await effectiveAccessFor(deps.db, { ...person, groups }, deps.now());
  return access?.role === 'admin';
}

/** GET /api/v1/bug-reports/assignees: the active admins, by name (the assignee picker). */
export async function listAssignees(deps: BugReportDeps, ctx: RequestContext): Promise<BugAssigneeList> {
  authorizeBugReports(requireActor(ctx), 'triage');
  const { groupFilter } = (await activeModel(deps.db)).spec;
  const items: BugAssigneeList['items'] = [];
  for (const person of await repo.assigneeCandidates(deps.db, MAX_CANDIDATES))
    if (await isActiveAdmin(deps, person, groupFilter))
      items.push({ id: person.id, name: person.displayName });
  return { items };
}

const staleProblem = (current: BugReport | null) =>
  new ConflictError(
    'Someone changed this bug report since you loaded it. Review their change and try again.',
    {
      current,
    },
  );

/**
 * PATCH /api/v1/bug-reports/:id: status, priority and assignee, from the version the admin saw (stale → 409 with
 * the current report). The assignee must be an active admin (400 naming assigneeId). Audited in the same
 * transaction: bug_report.triaged when the status changes, bug_report.updated when the priority or assignee does.
 */
export async function updateBugReport(
  deps: BugReportDeps,
  ctx: RequestContext,
  id: string,
  input: UpdateInput,
): Promise<BugReport> {
  const actor = requireActor(ctx);
  authorizeBugReports(actor, 'triage');
  if (input.assigneeId) {
    const person = await repo.findPerson(deps.db, input.assigneeId);
    const { groupFilter } = (await activeModel(deps.db)).spec;
    if (!person || !(await isActiveAdmin(deps, person, groupFilter)))
      throw new ValidationError('The assignee cannot triage bug reports.', [
        { field: 'assigneeId', message: 'must be an active admin' },
      ]);
  }
  const outcome = await deps.db.transaction(async (tx) => {
    const before = await repo.lockForUpdate(tx, id);
    if (!before) throw new NotFoundError('bug report');
    if (before.version !== input.version) return 'stale' as const;
    const after = {
      status: input.status ?? before.status,
      priority: input.priority === undefined ? before.priority : input.priority,
      assigneeId: input.assigneeId === undefined ? before.assigneeId : input.assigneeId,
    };
    const changed = (['priority', 'assigneeId'] as const).filter((key) => after[key] !== before[key]);
    const statusChanged = after.status !== before.status;
    // Nothing differs: answer the report as it is, without a new version or an empty audit event.
    if (!statusChanged && changed.length === 0) return 'unchanged' as const;
    const version = before.version + 1;
    await repo.setTriage(tx, id, { ...after, version, triagedBy: actor.personId, triagedAt: deps.now() });
    if (statusChanged)
      await audit(tx, ctx, {
        action: 'bug_report.triaged',
        targetId: id,
        details: {
          fromStatus: before.status,
          toStatus: after.status,
          fromVersion: before.version,
          toVersion: version,
        },
      });
    if (changed.length > 0)
      await audit(tx, ctx, {
        action: 'bug_report.updated',
        targetId: id,
        details: { fromVersion: before.version, toVersion: version, changed },
      });
    return 'changed' as const;
  });
  const report = await repo.findBugReport(deps.db, id);
  if (outcome === 'stale') throw staleProblem(report);
  if (!report) throw new NotFoundError('bug report');
  return report;
}

/** POST /api/v1/bug-reports/:id/notes: one note on the triage thread, audited with it. */
export async function addNote(
  deps: BugReportDeps,
  ctx: RequestContext,
  id: string,
  input: NoteInput,
): Promise<BugReportNote> {
  const actor = requireActor(ctx);
  authorizeBugReports(actor, 'triage');
  const note = {
    id: randomUUID(),
    bugReportId: id,
    authorId: actor.personId,
    body: input.body,
    createdAt: deps.now(),
  };
  await deps.db.transaction(async (tx) => {
    if (!(await repo.lockForUpdate(tx, id))) throw new NotFoundError('bug report');
    await repo.insertNote(tx, note);
    await audit(tx, ctx, { action: 'bug_report.note_added', targetId: id, details: { noteId: note.id } });
  });
  return {
    id: note.id,
    author: { id: actor.personId, name: actor.name },
    body: note.body,
    createdAt: note.createdAt.toISOString(),
  };
}

/** GET /api/v1/bug-reports/:id/notes: the thread, oldest first. */
export async function listNotes(deps: BugReportDeps, ctx: RequestContext, id: string) {
  authorizeBugReports(requireActor(ctx), 'read');
  if (!(await repo.exists(deps.db, id))) throw new NotFoundError('bug report');
  return { items: (await repo.notesOf(deps.db, [id])).get(id) ?? [] };
}
