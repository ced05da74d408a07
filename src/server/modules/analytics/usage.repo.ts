import { lt, sql } from 'drizzle-orm';
import type { UsageSurface } from '../../../contract/api/analytics.ts';
import type { Role } from '../../../contract/roles.ts';
import type { Db } from '../../db/client.ts';
import { usageDays, usageEvents } from '../../db/schema.observability.ts';

/**
 * Writes of the product-usage facts: one usage_days row per person per UTC day, and usage_events for
 * engagement (report views, exports). Person ids and fixed-list values only: never content, names or e-mail.
 */

/**
 * The person's row for `day`: created with the role the request carried and the department and team the people
 * record holds now (the day's snapshot, kept from the first write of the day); later writes only add the surface
 * and move first/last seen. One statement, safe from several replicas at once.
 */
export async function upsertUsageDay(
  db: Db,
  input: { day: string; personId: string; role: Role; surface: UsageSurface; at: Date },
): Promise<void> {
  const at = input.at.toISOString();
  await db.execute(sql`
    insert into usage_days (day, person_id, role, department, team, surfaces, first_seen_at, last_seen_at)
    select ${input.day}::date, p.id, ${input.role}, p.department, p.team, jsonb_build_array(${input.surface}::text),
           ${at}::timestamptz, ${at}::timestamptz
    from people p where p.id = ${input.personId}
    on conflict (day, person_id) do update set
      surfaces = case when usage_days.surfaces @> excluded.surfaces then usage_days.surfaces
                      else usage_days.surfaces || excluded.surfaces end,
      first_seen_at = least(usage_days.first_seen_at, excluded.first_seen_at),
      last_seen_at = greatest(usage_days.last_seen_at, excluded.last_seen_at)`);
}

export type UsageEventKind = 'view' | 'export';

/**
 * One engagement event. `id` (a page's view id) makes a resent beacon count once; returns whether it was stored
 * now. Called inside the transaction of the thing it records when there is one (an export).
 */
export async function insertUsageEvent(
  db: Db,
  input: {
    id?: string;
    kind: UsageEventKind;
    surface: string;
    personId: string;
    role: Role;
    at: Date;
    details?: Record<string, string>;
  },
): Promise<boolean> {
  const stored = await db
    .insert(usageEvents)
    .values({
      ...(input.id ? { id: input.id } : {}),
      occurredAt: input.at,
      personId: input.personId,
      role: input.role,
      kind: input.kind,
      surface: input.surface,
      details: input.details ?? {},
    })
    .onConflictDoNothing({ target: usageEvents.id })
    .returning({ id: usageEvents.id });
  return stored.length > 0;
}

/** Retention: delete usage facts older than `days` days before `now` (the cleanup job). */
export async function pruneUsage(db: Db, now: Date, days: number) {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const cutoffDay = cutoff.toISOString().slice(0, 10);
  const deletedDays = await db
    .delete(usageDays)
    .where(lt(usageDays.day, cutoffDay))
    .returning({ day: usageDays.day });
  const deletedEvents = await db
    .delete(usageEvents)
    .where(lt(usageEvents.occurredAt, cutoff))
    .returning({ id: usageEvents.id });
  return { usageDays: deletedDays.length, usageEvents: deletedEvents.length };
}
