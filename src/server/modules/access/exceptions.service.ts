import type { z } from 'zod';
import {
  type AccessException,
  type AccessExceptionPage,
  EXCEPTION_MAX_DAYS,
  EXCEPTION_MAX_OPEN_PER_PERSON,
  type ExceptionApproverPolicy,
  type ExceptionCreate,
  type ExceptionListQuery,
  type ExceptionStatus,
} from '../../../contract/api/access.ts';
import type { ScopeKind } from '../../../contract/roles.ts';
import type { Db } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../db/cursor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import {
  authorizeDecision,
  authorizeExceptionWrite,
  authorizeRequestFor,
  authorizeRevoke,
  checkDecider,
  checkReach,
  type GrantReach,
} from './access.policy.ts';
import { teamsFromGroups } from './entitlements.engine.ts';
import { activeRuleSet } from './entitlements.service.ts';
import { type ExceptionRow, revokeExceptionInTx } from './exceptions.core.ts';
import * as repo from './exceptions.repo.ts';

/**
 * Time-bound access exceptions: someone asks for a role and scope for a person, with a justification and an
 * expiry at most 90 days out; someone else (an admin, or the subject's direct manager when the policy allows)
 * approves it; it ends at its expiry (the engine ignores it from that instant; the expiry job records it) or
 * when revoked. Effective access includes active exceptions on the subject's next request.
 */

export interface ExceptionDeps {
  db: Db;
  now: () => Date;
  approvers: ExceptionApproverPolicy;
}

const DAY_MS = 86_400_000;
const TEAM_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An active exception or an undecided request past its expiry is expired, even before the job records it. */
function effectiveStatus(row: ExceptionRow, now: Date): ExceptionStatus {
  const open = row.status === 'active' || row.status === 'requested';
  return open && row.expiresAt <= now ? 'expired' : row.status;
}

function scopeLabel(kind: ScopeKind, target: string | null, treeRootName: string | null): string {
  switch (kind) {
    case 'self':
      return 'Own insights';
    case 'all':
      return 'Whole organization';
    case 'team':
      return target ? `Team ${target}` : "The subject's team";
    case 'tree':
      return target
        ? `Reporting tree of ${treeRootName ?? 'a former person'}`
        : "The subject's reporting tree";
    case 'org_unit':
      return target ? `Org unit ${target}` : "The subject's org unit";
  }
}

/** Whether a policy check passes, for telling the caller what they may do (the action re-checks it). */
function passes(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

function viewOf(
  d: repo.ExceptionDetail,
  now: Date,
  actor: Actor,
  approvers: ExceptionApproverPolicy,
): AccessException {
  const { row } = d;
  const status = effectiveStatus(row, now);
  const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? 'Unknown' } : null);
  return {
    id: row.id,
    subject: { id: row.subjectId, name: d.subjectName, email: d.subjectEmail },
    role: row.role,
    scopeKind: row.scopeKind,
    scopeTarget: row.scopeTarget,
    scopeLabel: scopeLabel(row.scopeKind, row.scopeTarget, d.treeRootName),
    justification: row.justification,
    status,
    requestedBy: { id: row.requestedBy, name: d.requesterName ?? 'Unknown' },
    requestedAt: row.requestedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    daysLeft:
      status === 'active' ? Math.max(1, Math.ceil((row.expiresAt.getTime() - now.getTime()) / DAY_MS)) : null,
    decidedBy: ref(row.decidedBy, d.deciderName),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    revokedBy: ref(row.revokedBy, d.revokerName),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokeReason: row.revokeReason,
    allowed: {
      decide:
        status === 'requested' &&
        passes(() => {
          checkDecider(actor, row);
          authorizeDecision(actor, { role: row.role, subjectManagerId: d.subjectManagerId }, approvers);
        }),
      revoke:
        status === 'active' &&
        passes(() =>
          authorizeRevoke(actor, { decidedBy: row.decidedBy, subjectManagerId: d.subjectManagerId }),
        ),
    },
  };
}

async function visibleView(
  deps: ExceptionDeps,
  actor: Actor,
  id: string,
  now: Date,
): Promise<AccessException> {
  const found = await repo.findVisibleException(deps.db, actor, id);
  if (!found) throw new NotFoundError('access exception');
  return viewOf(found, now, actor, deps.approvers);
}

function invalid(field: string, message: string): never {
  throw new ValidationError('The access exception is not valid.', [{ field, message }]);
}

function checkExpiry(expiresAt: Date, now: Date): void {
  if (expiresAt <= now) invalid('body.expiresAt', 'must be in the future');
  if (expiresAt.getTime() - now.getTime() > EXCEPTION_MAX_DAYS * DAY_MS)
    invalid('body.expiresAt', `must be at most ${EXCEPTION_MAX_DAYS} days from now`);
}

/**
 * The scope target checked per kind, and what the grant covers (for the reach check): a team name, a person
 * who exists (tree), a department; none for self and all. Empty means the subject's own team, tree or unit.
 */
async function resolveGrant(
  tx: Db,
  actor: Actor,
  kind: ScopeKind,
  target: string | null,
  subject: repo.SubjectFacts,
): Promise<{ target: string | null; reach: GrantReach }> {
  const field = 'body.scopeTarget';
  const reach: GrantReach = { scopeKind: kind, teams: [], unit: null, treeRootInActorTrees: false };
  if (kind === 'self' || kind === 'all') {
    if (target !== null) invalid(field, `must be empty for scope kind ${kind}`);
  } else if (kind === 'team') {
    if (target !== null && !TEAM_NAME.test(target)) invalid(field, 'must be a team name such as amer');
    const { spec } = await activeRuleSet(tx);
    const own = [...new Set([...teamsFromGroups(subject.groups, spec.teamGroupPrefix), subject.team ?? ''])];
    reach.teams = target ? [target] : own.filter(Boolean);
    if (reach.teams.length === 0) invalid(field, 'the person has no team: name the team');
  } else if (kind === 'tree') {
    if (target !== null && (!UUID.test(target) || !(await repo.personExists(tx, target))))
      invalid(field, "must be the id of a person in the directory (the tree's manager)");
    const root = target ?? subject.id;
    reach.treeRootInActorTrees =
      actor.scope.kind === 'limited' && (await repo.inTrees(tx, root, actor.scope.trees));
  } else {
    reach.unit = target ?? subject.department;
    if (!reach.unit) invalid(field, 'the person has no department: name the org unit');
  }
  return { target, reach };
}

export async function requestException(
  deps: ExceptionDeps,
  ctx: RequestContext,
  input: ExceptionCreate,
): Promise<AccessException> {
  const actor = requireActor(ctx);
  authorizeExceptionWrite(actor);
  authorizeRequestFor(actor, input.subjectId, input.role);
  const now = deps.now();
  const expiresAt = new Date(input.expiresAt);
  checkExpiry(expiresAt, now);
  const id = await deps.db.transaction(async (tx) => {
    const subject = await repo.findSubject(tx, input.subjectId, { within: actor, lock: true });
    if (!subject) throw new NotFoundError('person');
    if (subject.status === 'deactivated')
      throw new ConflictError('This person is deactivated: an exception would grant nothing.');
    const { target, reach } = await resolveGrant(
      tx,
      actor,
      input.scopeKind,
      input.scopeTarget ?? null,
      subject,
    );
    if (subject.id !== actor.personId) checkReach(actor, reach, 'request');
    const grant = {
      subjectId: subject.id,
      role: input.role,
      scopeKind: input.scopeKind,
      scopeTarget: target,
    };
    if (await repo.findOpenDuplicate(tx, grant, now))
      throw new ConflictError(
        'This person already has an open request or active exception for this access; decide or revoke it first.',
      );
    if ((await repo.countOpen(tx, subject.id, now)) >= EXCEPTION_MAX_OPEN_PER_PERSON)
      throw new ConflictError(
        `This person already has ${EXCEPTION_MAX_OPEN_PER_PERSON} open exceptions or requests; decide or revoke some first.`,
      );
    const row = await repo.insertException(tx, {
      ...grant,
      justification: input.justification,
      status: 'requested',
      requestedBy: actor.personId,
      requestedAt: now,
      expiresAt,
    });
    await audit(tx, ctx, {
      action: 'access.exception.requested',
      targetId: row.id,
      details: {
        subjectId: row.subjectId,
        role: row.role,
        scopeKind: row.scopeKind,
        scopeTarget: row.scopeTarget,
        expiresAt: row.expiresAt.toISOString(),
        justification: row.justification,
      },
    });
    return row.id;
  });
  return visibleView(deps, actor, id, now);
}

/** Lock a visible exception (404 otherwise) for a decision or a revocation. */
async function lockVisible(tx: Db, actor: Actor, id: string) {
  const visible = await repo.findVisibleException(tx, actor, id);
  const row = visible ? await repo.lockException(tx, id) : null;
  if (!visible || !row) throw new NotFoundError('access exception');
  return { row, subjectManagerId: visible.subjectManagerId };
}

export async function decideException(
  deps: ExceptionDeps,
  ctx: RequestContext,
  id: string,
  decision: 'approved' | 'rejected',
  note: string | null,
): Promise<AccessException> {
  const actor = requireActor(ctx);
  if (decision === 'approved') authorizeExceptionWrite(actor);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const { row, subjectManagerId } = await lockVisible(tx, actor, id);
    if (row.status !== 'requested')
      throw new ConflictError(
        `This exception is ${effectiveStatus(row, now)}: only a requested exception can be decided.`,
      );
    checkDecider(actor, row);
    authorizeDecision(actor, { role: row.role, subjectManagerId }, deps.approvers);
    const subject = await repo.findSubject(tx, row.subjectId, {});
    if (!subject) throw new NotFoundError('access exception');
    if (actor.role !== 'admin') {
      const { reach } = await resolveGrant(tx, actor, row.scopeKind, row.scopeTarget, subject);
      checkReach(actor, reach, 'approve');
    }
    if (decision === 'approved') {
      if (row.expiresAt <= now)
        throw new ConflictError('This request is already past its expiry; ask for a new exception.');
      if (subject.status === 'deactivated')
        throw new ConflictError('This person is deactivated: the exception would grant nothing.');
    }
    await repo.recordDecision(tx, row.id, {
      status: decision === 'approved' ? 'active' : 'rejected',
      decidedBy: actor.personId,
      decidedAt: now,
      note,
    });
    await audit(tx, ctx, {
      action: 'access.exception.decided',
      targetId: row.id,
      details: { subjectId: row.subjectId, decision, note, expiresAt: row.expiresAt.toISOString() },
    });
  });
  return visibleView(deps, actor, id, now);
}

export async function revokeException(
  deps: ExceptionDeps,
  ctx: RequestContext,
  id: string,
  reason: string,
): Promise<AccessException> {
  const actor = requireActor(ctx);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const { row, subjectManagerId } = await lockVisible(tx, actor, id);
    authorizeRevoke(actor, { decidedBy: row.decidedBy, subjectManagerId });
    const status = effectiveStatus(row, now);
    if (status !== 'active')
      throw new ConflictError(`This exception is ${status}: only an active exception can be revoked.`);
    if (!(await revokeExceptionInTx(tx, ctx, row.id, reason, 'manual', now)))
      throw new ConflictError('This exception is no longer active.');
  });
  return visibleView(deps, actor, id, now);
}

export async function getException(deps: ExceptionDeps, ctx: RequestContext, id: string) {
  return visibleView(deps, requireActor(ctx), id, deps.now());
}

export async function listExceptions(
  deps: ExceptionDeps,
  ctx: RequestContext,
  query: z.output<typeof ExceptionListQuery>,
): Promise<AccessExceptionPage> {
  const actor = requireActor(ctx);
  const now = deps.now();
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { items, hasMore } = await repo.listVisibleExceptions(
    deps.db,
    actor,
    { status: query.status, subjectId: query.subjectId },
    { limit: query.limit, after },
    now,
  );
  const last = items.at(-1);
  return {
    items: items.map((d) => viewOf(d, now, actor, deps.approvers)),
    nextCursor: hasMore && last ? encodeCursor(last.row.requestedAt, last.row.id) : null,
  };
}
