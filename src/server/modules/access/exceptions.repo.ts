import { and, desc, eq, gt, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ExceptionStatus } from '../../../contract/api/access.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { accessExceptions, people } from '../../db/schema.ts';
import type { Actor } from '../identity/actor.ts';
import { seesScopedExceptions } from './access.policy.ts';
import type { ExceptionRow } from './exceptions.core.ts';
import { personInScope, reportingTreeSql } from './scope.sql.ts';

const subject = alias(people, 'subject');
const requester = alias(people, 'requester');
const decider = alias(people, 'decider');
const revoker = alias(people, 'revoker');
const treeRoot = alias(people, 'tree_root');

export interface ExceptionDetail {
  row: ExceptionRow;
  subjectName: string;
  subjectEmail: string;
  subjectManagerId: string | null;
  requesterName: string | null;
  deciderName: string | null;
  revokerName: string | null;
  treeRootName: string | null;
}

/** Exceptions the actor may see (policy: access.policy.ts); anything else does not exist for them. */
export function visibleTo(actor: Actor): SQL {
  const reach = seesScopedExceptions(actor);
  if (reach === 'all') return sql`true`;
  const me = actor.personId;
  const own = or(
    eq(accessExceptions.subjectId, me),
    eq(accessExceptions.requestedBy, me),
    eq(accessExceptions.decidedBy, me),
    eq(subject.managerId, me),
  ) as SQL;
  if (reach === 'own') return own;
  return or(own, personInScope(accessExceptions.subjectId, actor)) as SQL;
}

function detailQuery(db: Db) {
  return db
    .select({
      row: accessExceptions,
      subjectName: subject.displayName,
      subjectEmail: subject.email,
      subjectManagerId: subject.managerId,
      requesterName: requester.displayName,
      deciderName: decider.displayName,
      revokerName: revoker.displayName,
      treeRootName: treeRoot.displayName,
    })
    .from(accessExceptions)
    .innerJoin(subject, eq(subject.id, accessExceptions.subjectId))
    .leftJoin(requester, eq(requester.id, accessExceptions.requestedBy))
    .leftJoin(decider, eq(decider.id, accessExceptions.decidedBy))
    .leftJoin(revoker, eq(revoker.id, accessExceptions.revokedBy))
    .leftJoin(
      treeRoot,
      and(
        eq(accessExceptions.scopeKind, 'tree'),
        sql`${treeRoot.id}::text = ${accessExceptions.scopeTarget}`,
      ),
    );
}

export async function findVisibleException(
  db: Db,
  actor: Actor,
  id: string,
): Promise<ExceptionDetail | null> {
  const [found] = await detailQuery(db)
    .where(and(eq(accessExceptions.id, id), visibleTo(actor)))
    .limit(1);
  return found ?? null;
}

/** Lock the exception row for a decision or revocation (visibility is checked by the caller first). */
export async function lockException(tx: Db, id: string): Promise<ExceptionRow | null> {
  const [row] = await tx.select().from(accessExceptions).where(eq(accessExceptions.id, id)).for('update');
  return row ?? null;
}

/** The condition for an effective status: an active exception or a request past its expiry is expired. */
function statusIs(status: ExceptionStatus, now: Date): SQL {
  if (status === 'active' || status === 'requested')
    return and(eq(accessExceptions.status, status), gt(accessExceptions.expiresAt, now)) as SQL;
  if (status === 'expired')
    return or(
      eq(accessExceptions.status, 'expired'),
      and(inArray(accessExceptions.status, ['active', 'requested']), lte(accessExceptions.expiresAt, now)),
    ) as SQL;
  return eq(accessExceptions.status, status);
}

export async function listVisibleExceptions(
  db: Db,
  actor: Actor,
  filters: { status?: ExceptionStatus | undefined; subjectId?: string | undefined },
  page: { limit: number; after: { at: Date; id: string } | null },
  now: Date,
) {
  const where: SQL[] = [visibleTo(actor)];
  if (filters.status) where.push(statusIs(filters.status, now));
  if (filters.subjectId) where.push(eq(accessExceptions.subjectId, filters.subjectId));
  if (page.after)
    where.push(
      sql`(${accessExceptions.requestedAt}, ${accessExceptions.id}) < (${page.after.at.toISOString()}::timestamptz, ${page.after.id}::uuid)`,
    );
  const rows = await detailQuery(db)
    .where(and(...where))
    .orderBy(desc(accessExceptions.requestedAt), desc(accessExceptions.id))
    .limit(page.limit + 1);
  return { items: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

export interface SubjectFacts {
  id: string;
  status: 'provisional' | 'active' | 'deactivated';
  team: string | null;
  groups: string[];
  department: string | null;
  managerId: string | null;
}

/**
 * A person's facts. `within`: only when that actor may request for them (admins: anyone; everyone: themselves;
 * managers: people in their scope). `lock`: hold the row, so requests for one person are serialized.
 */
export async function findSubject(
  tx: Db,
  subjectId: string,
  options: { within?: Actor; lock?: boolean },
): Promise<SubjectFacts | null> {
  const actor = options.within;
  const query = tx
    .select({
      id: people.id,
      status: people.status,
      team: people.team,
      groups: people.groups,
      department: people.department,
      managerId: people.managerId,
    })
    .from(people)
    .where(
      and(
        eq(people.id, subjectId),
        !actor || actor.role === 'admin' || subjectId === actor.personId
          ? sql`true`
          : personInScope(people.id, actor),
      ),
    );
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

export async function personExists(db: Db, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.id, id), sql`${people.status} <> 'deactivated'`))
    .limit(1);
  return row !== undefined;
}

/** Whether `rootId` lies inside the reporting trees under `managerIds` (a tree grant a manager may give). */
export async function inTrees(db: Db, rootId: string, managerIds: readonly string[]): Promise<boolean> {
  if (managerIds.length === 0) return false;
  const rows = await queryRows<{ hit: boolean }>(
    db,
    sql`select exists (select 1 from (${reportingTreeSql(managerIds)}) t where t.id = ${rootId}) as hit`,
  );
  return rows[0]?.hit === true;
}

/** An open (requested, or active and unexpired) exception for the same access, to refuse duplicates. */
export async function findOpenDuplicate(
  tx: Db,
  e: { subjectId: string; role: string; scopeKind: string; scopeTarget: string | null },
  now: Date,
): Promise<string | null> {
  const [row] = await tx
    .select({ id: accessExceptions.id })
    .from(accessExceptions)
    .where(
      and(
        eq(accessExceptions.subjectId, e.subjectId),
        sql`${accessExceptions.role} = ${e.role}`,
        sql`${accessExceptions.scopeKind} = ${e.scopeKind}`,
        e.scopeTarget === null
          ? sql`${accessExceptions.scopeTarget} is null`
          : eq(accessExceptions.scopeTarget, e.scopeTarget),
        inArray(accessExceptions.status, ['requested', 'active']),
        gt(accessExceptions.expiresAt, now),
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

/** Open (requested, or active and unexpired) exceptions of one person. */
export async function countOpen(tx: Db, subjectId: string, now: Date): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(accessExceptions)
    .where(
      and(
        eq(accessExceptions.subjectId, subjectId),
        inArray(accessExceptions.status, ['requested', 'active']),
        gt(accessExceptions.expiresAt, now),
      ),
    );
  return Number(row?.n ?? 0);
}

export async function insertException(
  tx: Db,
  row: typeof accessExceptions.$inferInsert,
): Promise<ExceptionRow> {
  const [inserted] = await tx.insert(accessExceptions).values(row).returning();
  if (!inserted) throw new Error('insert access_exceptions returned no row');
  return inserted;
}

export async function recordDecision(
  tx: Db,
  id: string,
  decision: { status: 'active' | 'rejected'; decidedBy: string; decidedAt: Date; note: string | null },
) {
  await tx
    .update(accessExceptions)
    .set({
      status: decision.status,
      decidedBy: decision.decidedBy,
      decidedAt: decision.decidedAt,
      decisionNote: decision.note,
    })
    .where(and(eq(accessExceptions.id, id), eq(accessExceptions.status, 'requested')));
}

/**
 * Mark a batch of exceptions that reached their expiry: active ones, and requests nobody decided in time (they
 * can no longer be approved). Skips rows another replica holds, so two runs never expire the same row twice.
 */
export async function expireDue(tx: Db, now: Date, limit: number) {
  return queryRows<{ id: string; subject_id: string; expires_at: Date | string; previous: string }>(
    tx,
    sql`
    with due as (
      select id, status from ${accessExceptions}
      where status in ('active', 'requested') and expires_at <= ${now.toISOString()}::timestamptz
      order by expires_at
      limit ${limit}
      for update skip locked)
    update ${accessExceptions} e set status = 'expired'
    from due
    where e.id = due.id
    returning e.id, e.subject_id, e.expires_at, due.status as previous`,
  );
}
