import { and, eq, or, sql } from 'drizzle-orm';
import type { OrgSource } from '../../../contract/audit-events.ts';
import type { Db } from '../../db/client.ts';
import { orgSources, people } from '../../db/schema.ts';
import { ValidationError } from '../../errors.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { deleteSessionsOfPerson } from '../identity/identity.repo.ts';
import { auditEndedSessions } from '../identity/session.service.ts';
import { revokeAllTokensOfPerson } from '../tokens/tokens.service.ts';

/**
 * What every org source (SCIM, HR feed) does the same way: serialize org writes, keep the manager chain
 * acyclic, resolve manager references, deactivate and reactivate (never erase), remember what each source
 * asserted, and record that a source synced. SCIM and the HR feed call these inside their own transaction.
 */

/** Serializes hierarchy and provisioning writes across replicas (cycle checks must see a stable tree). */
const ORG_LOCK_KEY = 4_217_730_005;

export async function lockOrg(tx: Db) {
  await tx.execute(sql`select pg_advisory_xact_lock(${ORG_LOCK_KEY})`);
}

/** True when `managerId` is `personId` or reports (at any depth) to `personId`: making it the manager loops. */
export async function wouldCycle(tx: Db, personId: string, managerId: string): Promise<boolean> {
  if (personId === managerId) return true;
  const result = (await tx.execute(sql`
    with recursive chain(id, depth) as (
      select ${people.managerId}, 1 from ${people} where ${people.id} = ${managerId}
      union
      select p.manager_id, chain.depth + 1 from ${people} p join chain on p.id = chain.id
      where chain.depth < 10000
    ) select 1 as hit from chain where id = ${personId} limit 1`)) as unknown as { rows: unknown[] };
  return result.rows.length > 0;
}

/** Refuse a manager assignment that would make the chain loop, with a message that names the field. */
export async function assertNoCycle(tx: Db, personId: string, managerId: string | null, field: string) {
  if (managerId && (await wouldCycle(tx, personId, managerId)))
    throw new ValidationError('That manager would make the reporting chain loop.', [
      { field, message: 'the manager reports (directly or indirectly) to this person, or is the person' },
    ]);
}

/**
 * A manager reference as a source sends it — our person id, an employee number, or a login (userName/e-mail)
 * — to a person id, or null when nobody matches yet (kept in manager_ref and listed as unresolved).
 */
export async function resolveManagerRef(tx: Db, ref: string | null | undefined): Promise<string | null> {
  const value = ref?.trim();
  if (!value) return null;
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
  const rows = await tx
    .select({ id: people.id })
    .from(people)
    .where(
      or(
        ...(isUuid ? [eq(people.id, value)] : []),
        eq(people.employeeNumber, value),
        sql`lower(${people.userName}) = lower(${value})`,
        sql`lower(${people.email}) = lower(${value})`,
      ),
    )
    .limit(2);
  return rows.length === 1 && rows[0] ? rows[0].id : null;
}

/**
 * People whose manager reference was unresolved and now names `person` (just created, or given a new
 * employee number or login): point them at it, unless that would loop.
 */
export async function resolvePendingManagerRefs(
  tx: Db,
  person: { id: string; employeeNumber: string | null; userName: string | null; email: string },
) {
  const keys = [person.id, person.employeeNumber, person.userName, person.email].filter(
    (k): k is string => !!k,
  );
  const waiting = await tx
    .select({ id: people.id, ref: people.managerRef })
    .from(people)
    .where(
      and(
        sql`${people.managerId} is null`,
        sql`${people.managerRef} is not null`,
        sql`lower(${people.managerRef}) in (${sql.join(
          keys.map((k) => sql`lower(${k})`),
          sql`, `,
        )})`,
      ),
    );
  for (const w of waiting) {
    if (!(await wouldCycle(tx, w.id, person.id)))
      await tx.update(people).set({ managerId: person.id }).where(eq(people.id, w.id));
  }
  return waiting.length;
}

/**
 * Deactivate (never erase): status, every session ended and every API token revoked, all in the caller's
 * transaction and audited — so a deactivated person is out on their very next request.
 */
export async function deactivatePerson(
  tx: Db,
  ctx: RequestContext,
  personId: string,
  source: OrgSource,
  now: Date,
): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
  await tx
    .update(people)
    .set({ status: 'deactivated', deactivatedAt: now, updatedAt: now })
    .where(eq(people.id, personId));
  const ended = await deleteSessionsOfPerson(tx, personId);
  await auditEndedSessions(tx, ctx, ended, 'deactivated');
  const tokensRevoked = await revokeAllTokensOfPerson(tx, ctx, personId, `deactivated by ${source}`);
  const result = { sessionsEnded: ended.length, tokensRevoked };
  await audit(tx, ctx, {
    action: 'org.person.deactivated',
    targetId: personId,
    details: { source, ...result },
  });
  return result;
}

export async function reactivatePerson(
  tx: Db,
  ctx: RequestContext,
  personId: string,
  source: OrgSource,
  now: Date,
) {
  await tx
    .update(people)
    .set({ status: 'active', deactivatedAt: null, updatedAt: now })
    .where(eq(people.id, personId));
  await audit(tx, ctx, { action: 'org.person.reactivated', targetId: personId, details: { source } });
}

/** Remember what a source asserted about a person (conflict reports compare these between sources). */
export async function recordSourceAssertion(
  tx: Db,
  personId: string,
  source: OrgSource,
  attrs: Record<string, unknown>,
  now: Date,
) {
  const value = JSON.stringify({ ...attrs, at: now.toISOString() });
  await tx
    .update(people)
    .set({
      sourceRecords: sql`${people.sourceRecords} || jsonb_build_object(${source}::text, ${value}::jsonb)`,
    })
    .where(eq(people.id, personId));
}

/** Default staleness limits: SCIM pushes changes as they happen; an HR feed typically arrives daily. */
export const DEFAULT_MAX_STALENESS_MINUTES: Record<OrgSource, number> = { scim: 24 * 60, hr: 36 * 60 };

/** A source delivered successfully (SCIM: any accepted write or read; HR: an applied import). */
export async function markSourceSynced(
  tx: Db,
  source: OrgSource,
  now: Date,
  counts?: Record<string, number>,
) {
  await tx
    .insert(orgSources)
    .values({
      id: source,
      maxStalenessMinutes: DEFAULT_MAX_STALENESS_MINUTES[source],
      lastSuccessAt: now,
      lastAttemptAt: now,
      lastError: null,
      ...(counts ? { lastCounts: counts } : {}),
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: orgSources.id,
      set: {
        lastSuccessAt: now,
        lastAttemptAt: now,
        lastError: null,
        ...(counts ? { lastCounts: counts } : {}),
        updatedAt: now,
      },
    });
}

/** A source tried and failed (an HR import that did not apply): kept for the status page. */
export async function markSourceFailed(tx: Db, source: OrgSource, now: Date, error: string) {
  await tx
    .insert(orgSources)
    .values({
      id: source,
      maxStalenessMinutes: DEFAULT_MAX_STALENESS_MINUTES[source],
      lastAttemptAt: now,
      lastError: error.slice(0, 500),
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: orgSources.id,
      set: { lastAttemptAt: now, lastError: error.slice(0, 500), updatedAt: now },
    });
}
