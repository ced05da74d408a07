import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { OrgConflict, OrgConflictQuery } from '../../../contract/api/directory.ts';
import type { Db } from '../../db/client.ts';
import { people } from '../../db/schema.ts';
import { conflictsOf, type ManagerResolver } from './conflicts.ts';
import * as repo from './directory.repo.ts';

/** People on whom at least two sources disagree (admin view), in name order, a page at a time. */

/** People with records from at least two sources: the only ones who can have a conflict. */
const TWO_SOURCES: SQL = sql`(select count(*) from jsonb_object_keys(${people.sourceRecords}) k
  where k in ('scim', 'hr', 'oidc')) >= 2`;

const BATCH = 500;

function conflictOf(
  p: repo.PersonRecord,
  resolve: ManagerResolver,
  labelOf: (id: string) => string | null,
): OrgConflict | null {
  const fields = conflictsOf(p, resolve, p.managerId ? labelOf(p.managerId) : null);
  if (fields.length === 0) return null;
  return {
    person: { id: p.id, name: p.displayName, email: p.email, status: p.status },
    managingSource: p.orgSource ?? 'oidc',
    fields,
  };
}

export async function listConflicts(
  db: Db,
  query: z.output<typeof OrgConflictQuery>,
): Promise<{ items: OrgConflict[]; nextCursor: string | null }> {
  const { resolve, labelOf } = await repo.loadResolver(db);
  const picked: { p: repo.PersonRecord; conflict: OrgConflict }[] = [];
  let after = query.cursor ? repo.decodeNameCursor(query.cursor) : null;
  while (picked.length <= query.limit) {
    const batch = await repo.selectPeople(db, [TWO_SOURCES, ...repo.afterCursor(after)], BATCH);
    for (const p of batch) {
      const conflict = conflictOf(p, resolve, labelOf);
      if (conflict) picked.push({ p, conflict });
      if (picked.length > query.limit) break;
    }
    const last = batch.at(-1);
    if (batch.length < BATCH || !last) break;
    after = { key: last.sortKey, id: last.id };
  }
  const page = picked.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((x) => x.conflict),
    nextCursor: picked.length > query.limit && last ? repo.encodeNameCursor(last.p.sortKey, last.p.id) : null,
  };
}

/** How many people have a conflict (the status page's number). */
export async function countConflicts(db: Db): Promise<number> {
  const { resolve, labelOf } = await repo.loadResolver(db);
  let n = 0;
  let after: { key: string; id: string } | null = null;
  for (;;) {
    const batch = await repo.selectPeople(db, [TWO_SOURCES, ...repo.afterCursor(after)], BATCH);
    for (const p of batch) if (conflictOf(p, resolve, labelOf)) n += 1;
    const last = batch.at(-1);
    if (batch.length < BATCH || !last) return n;
    after = { key: last.sortKey, id: last.id };
  }
}
