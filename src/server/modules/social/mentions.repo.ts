import { and, asc, desc, eq, ne, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { insightNotes, insights, people } from '../../db/schema.ts';
import { noteColumns } from './social.repo.ts';

/** Notes that mention a person, and the people one may mention. */

const EXCERPT_CHARS = 160;

/**
 * One page of the notes that mention `personId`, newest first, on insights inside `scope` (the caller's
 * `insightReadScope`, in the query: a mention on an insight they cannot see is never listed). Keyset on
 * (created_at, id); one extra row tells whether another page exists. The GIN index on mentions finds them.
 */
export async function notesMentioning(
  db: Db,
  scope: SQL,
  personId: string,
  page: { limit: number; after: { at: Date; id: string } | null },
) {
  const after = page.after
    ? sql`(${insightNotes.createdAt}, ${insightNotes.id}) < (${page.after.at.toISOString()}::timestamptz, ${page.after.id}::uuid)`
    : undefined;
  const rows = await db
    .select({
      ...noteColumns,
      insightTitle: insights.title,
      insightExcerpt: sql<string>`case when char_length(${insights.text}) > ${EXCERPT_CHARS}
        then left(${insights.text}, ${EXCERPT_CHARS - 1}) || '…' else ${insights.text} end`,
    })
    .from(insightNotes)
    .innerJoin(people, eq(people.id, insightNotes.authorId))
    .innerJoin(insights, eq(insights.id, insightNotes.insightId))
    .where(and(sql`${insightNotes.mentions} @> array[${personId}]::uuid[]`, scope, after))
    .orderBy(desc(insightNotes.createdAt), desc(insightNotes.id))
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

/** LIKE pattern text for a case-insensitive "contains": the caller's % and _ match only themselves. */
export function likeEscape(q: string): string {
  return q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Keyset position in the mentionable order: [0 prefix match | 1 contains, lower(name), id]. */
export interface CandidatePosition {
  rank: number;
  key: string;
  id: string;
}

/**
 * People not deactivated whose display name or e-mail local part contains `q` (case-insensitive), prefix
 * matches first (the name, one of its words, or the local part starts with q), then by name. A batch at a
 * time: the caller keeps those whose role may write notes and asks for more until its page is full.
 */
export async function candidates(db: Db, q: string, after: CandidatePosition | null, limit: number) {
  const text = likeEscape(q);
  const name = sql`lower(${people.displayName})`;
  const local = sql`lower(split_part(${people.email}, '@', 1))`;
  const rank = sql<number>`(case when ${name} like ${`${text}%`} or ${name} like ${`% ${text}%`}
    or ${local} like ${`${text}%`} then 0 else 1 end)`.mapWith(Number);
  const key = sql<string>`lower(${people.displayName})`;
  const position = after
    ? sql`(${rank}, ${key}, ${people.id}) > (${after.rank}::int, ${after.key}, ${after.id}::uuid)`
    : undefined;
  return db
    .select({
      id: people.id,
      displayName: people.displayName,
      team: people.team,
      status: people.status,
      groups: people.groups,
      builderRelations: people.builderRelations,
      department: people.department,
      title: people.title,
      rank,
      key,
    })
    .from(people)
    .where(
      and(
        ne(people.status, 'deactivated'),
        sql`(${name} like ${`%${text}%`} or ${local} like ${`%${text}%`})`,
        position,
      ),
    )
    .orderBy(rank, key, asc(people.id))
    .limit(limit);
}
