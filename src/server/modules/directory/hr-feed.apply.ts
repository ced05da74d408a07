import canonicalize from 'canonicalize';
import { and, eq, sql } from 'drizzle-orm';
import type { ImportResult } from '../../../contract/api/directory.ts';
import type { Db } from '../../db/client.ts';
import { people } from '../../db/schema.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import type { HrRow } from './hr-feed.parse.ts';
import type { ImportPlan, ManagerTarget } from './hr-feed.plan.ts';
import { deactivatePerson, reactivatePerson, recordSourceAssertion, wouldCycle } from './org.core.ts';

/**
 * Carry out an import plan inside the caller's transaction (which holds the org lock and has checked the
 * fingerprint): create joiners, update movers, deactivate leavers (sessions ended, tokens revoked), record what
 * HR asserted about people another source manages, and point waiting manager references at joiners. Every
 * person-level change is audited here; the caller audits the import itself.
 */

const CHUNK = 500;

function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** What the HR file asserted about one person, in the attribute names every source record uses. */
export function hrAssertion(row: HrRow): Record<string, unknown> {
  return {
    employeeNumber: row.employeeNumber,
    email: row.email,
    ...(row.name !== undefined ? { displayName: row.name } : {}),
    ...(row.manager !== undefined ? { manager: row.manager } : {}),
    ...(row.department !== undefined ? { department: row.department } : {}),
    ...(row.title !== undefined ? { title: row.title } : {}),
    ...(row.builderRelations !== undefined ? { builderRelations: row.builderRelations } : {}),
  };
}

function sameAssertion(record: Record<string, unknown> | null, row: HrRow): boolean {
  if (!record) return false;
  const { at: _at, ...rest } = record;
  return canonicalize(rest) === canonicalize(hrAssertion(row));
}

const recordSql = (row: HrRow, now: Date) =>
  sql`${people.sourceRecords} || jsonb_build_object('hr', ${JSON.stringify({ ...hrAssertion(row), at: now.toISOString() })}::jsonb)`;

/** manager_id for many people in one statement per chunk. */
async function setManagers(tx: Db, pairs: [string, string | null][], now: Date) {
  for (const chunk of chunks(pairs)) {
    const values = sql.join(
      chunk.map(([id, managerId]) => sql`(${id}::uuid, ${managerId}::uuid)`),
      sql`, `,
    );
    await tx.execute(sql`
      update ${people} set manager_id = v.manager_id, updated_at = ${now.toISOString()}::timestamptz
      from (values ${values}) as v(id, manager_id) where ${people.id} = v.id`);
  }
}

export async function executePlan(
  tx: Db,
  ctx: RequestContext,
  plan: ImportPlan,
  now: Date,
): Promise<ImportResult> {
  const result: ImportResult = {
    created: 0,
    updated: 0,
    reactivated: 0,
    deactivated: 0,
    sessionsEnded: 0,
    tokensRevoked: 0,
    assertionsRecorded: 0,
  };

  const joinerIds = new Map<string, string>();
  for (const chunk of chunks(plan.joiners)) {
    const inserted = await tx
      .insert(people)
      .values(
        chunk.map(({ row }) => ({
          email: row.email,
          displayName: row.name ?? row.email,
          employeeNumber: row.employeeNumber,
          department: row.department ?? null,
          title: row.title ?? null,
          builderRelations: row.builderRelations ?? false,
          status: 'active' as const,
          orgSource: 'hr' as const,
          managerRef: row.manager ?? null,
          sourceRecords: { hr: { ...hrAssertion(row), at: now.toISOString() } },
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning({ id: people.id, employeeNumber: people.employeeNumber });
    for (const r of inserted) if (r.employeeNumber) joinerIds.set(r.employeeNumber, r.id);
  }
  const idOf = (target: ManagerTarget): string | null => {
    if (target.kind === 'none') return null;
    if (target.kind === 'person') return target.id;
    const id = joinerIds.get(target.employeeNumber);
    if (!id) throw new Error(`joiner ${target.employeeNumber} was not created`);
    return id;
  };
  const joinerManagers: [string, string | null][] = [];
  for (const { row, manager } of plan.joiners) {
    const id = joinerIds.get(row.employeeNumber);
    if (!id) throw new Error(`joiner ${row.employeeNumber} was not created`);
    if (manager && manager.kind !== 'none') joinerManagers.push([id, idOf(manager)]);
    await audit(tx, ctx, {
      action: 'org.person.created',
      targetId: id,
      details: { source: 'hr', userName: null, employeeNumber: row.employeeNumber },
    });
    result.created += 1;
  }
  await setManagers(tx, joinerManagers, now);

  for (const u of plan.updates) {
    const managerId = u.managerChanged && u.manager ? idOf(u.manager) : undefined;
    await tx
      .update(people)
      .set({
        ...u.set,
        ...(managerId !== undefined ? { managerId } : {}),
        ...(u.row.manager !== undefined ? { managerRef: u.row.manager } : {}),
        sourceRecords: recordSql(u.row, now),
        updatedAt: now,
      })
      .where(eq(people.id, u.person.id));
    if (u.reactivate) {
      await reactivatePerson(tx, ctx, u.person.id, 'hr', now);
      result.reactivated += 1;
    }
    const fields = u.changes.map((c) => c.field);
    await audit(tx, ctx, {
      action: 'org.person.updated',
      targetId: u.person.id,
      details: {
        source: 'hr',
        changed: fields,
        ...(managerId !== undefined ? { managerId } : {}),
        ...(fields.includes('department') ? { department: u.set.department ?? null } : {}),
      },
    });
    result.updated += 1;
  }

  for (const { row, person } of plan.unchanged) {
    if (sameAssertion(person.hrRecord, row)) continue;
    await tx
      .update(people)
      .set({ sourceRecords: recordSql(row, now) })
      .where(eq(people.id, person.id));
  }
  for (const { row, person } of plan.otherSource) {
    await recordSourceAssertion(tx, person.id, 'hr', hrAssertion(row), now);
    result.assertionsRecorded += 1;
  }

  for (const leaver of plan.leavers) {
    const ended = await deactivatePerson(tx, ctx, leaver.id, 'hr', now);
    result.deactivated += 1;
    result.sessionsEnded += ended.sessionsEnded;
    result.tokensRevoked += ended.tokensRevoked;
  }

  await resolveWaitingReferences(tx, plan, joinerIds);
  return result;
}

/**
 * People (typically SCIM-provisioned) whose manager reference named someone nobody matched until this import
 * created them: point them at the joiner, unless that would loop.
 */
async function resolveWaitingReferences(tx: Db, plan: ImportPlan, joinerIds: Map<string, string>) {
  if (joinerIds.size === 0) return;
  const keys = new Map<string, string>();
  for (const { row } of plan.joiners) {
    const id = joinerIds.get(row.employeeNumber);
    if (!id) continue;
    keys.set(row.employeeNumber.toLowerCase(), id);
    keys.set(row.email.toLowerCase(), id);
  }
  const waiting = await tx
    .select({ id: people.id, ref: people.managerRef })
    .from(people)
    .where(
      and(
        sql`${people.managerId} is null`,
        sql`${people.managerRef} is not null`,
        sql`${people.status} <> 'deactivated'`,
      ),
    );
  for (const w of waiting) {
    const managerId = w.ref ? keys.get(w.ref.toLowerCase()) : undefined;
    if (!managerId || managerId === w.id) continue;
    if (await wouldCycle(tx, w.id, managerId)) continue;
    await tx.update(people).set({ managerId }).where(eq(people.id, w.id));
  }
}
