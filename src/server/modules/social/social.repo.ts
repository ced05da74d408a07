import { and, asc, count, desc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import {
  type Note,
  REACTION_KINDS,
  type ReactionCount,
  type ReactionKind,
} from '../../../contract/api/social.ts';
import type { Db } from '../../db/client.ts';
import { insightAttachments, insightNotes, insightReactions, insights, people } from '../../db/schema.ts';

/**
 * Reactions, notes and attachment counts of insights the caller already found inside their read scope: every
 * function here takes insight ids that passed `insightReadScope` (or the caller's own insights), never raw ids
 * from a request. The `…ForInsights` functions answer for a whole page of ids in one query each.
 */

type Named = { id: string; name: string };
type NoteRow = { note: typeof insightNotes.$inferSelect; authorName: string; mentioned: unknown };

/** json from the driver: node-postgres and PGlite parse it; a string (another driver) is parsed here. */
function namedList(value: unknown): Named[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? (list as Named[]) : [];
}

export function toNote({ note, authorName, mentioned }: NoteRow): Note {
  return {
    id: note.id,
    insightId: note.insightId,
    parentId: note.parentId,
    author: { id: note.authorId, name: authorName },
    body: note.body,
    mentions: namedList(mentioned),
    createdAt: note.createdAt.toISOString(),
  };
}

/**
 * A note with its author's name and the names of the people it mentions, in the order they were mentioned:
 * resolved in the same query as the note (a correlated subquery over the note's own row, no query per note).
 */
export const noteColumns = {
  note: insightNotes,
  authorName: people.displayName,
  mentioned: sql<unknown>`(select coalesce(json_agg(json_build_object('id', mp.id, 'name', mp.display_name)
      order by array_position(${insightNotes.mentions}, mp.id)), '[]'::json)
    from ${people} as mp where mp.id = any(${insightNotes.mentions}))`,
};

/**
 * An insight and the duplicates currently merged into it that are in the caller's scope too (`scope` is
 * `insightReadScope`): the ids whose reactions and notes its activity shows. The insight itself must already
 * have been found in scope. Merging moves nothing, so clearing merged_into_id gives each its own again.
 */
export function mergedFamily(scope: SQL, insightId: string): SQL {
  return sql`(select ${insights.id} from ${insights} where ${insights.id} = ${insightId}
    or (${insights.mergedIntoId} = ${insightId} and ${scope}))`;
}

/** Every kind in REACTION_KINDS order, zero counts included, for each of the ids (one grouped query). */
export async function reactionsForInsights(
  db: Db,
  insightIds: readonly string[],
  personId: string,
): Promise<Map<string, ReactionCount[]>> {
  const rows =
    insightIds.length === 0
      ? []
      : await db
          .select({
            insightId: insightReactions.insightId,
            reaction: insightReactions.reaction,
            count: count(),
            mine: sql<boolean>`bool_or(${insightReactions.personId} = ${personId})`,
          })
          .from(insightReactions)
          .where(inArray(insightReactions.insightId, [...insightIds]))
          .groupBy(insightReactions.insightId, insightReactions.reaction);
  const found = new Map(rows.map((r) => [`${r.insightId}:${r.reaction}`, r]));
  return new Map(
    insightIds.map((id) => [
      id,
      REACTION_KINDS.map((reaction) => {
        const row = found.get(`${id}:${reaction}`);
        return { reaction, count: Number(row?.count ?? 0), mine: row?.mine === true };
      }),
    ]),
  );
}

/**
 * Every kind in REACTION_KINDS order over a family of insights (`mergedFamily`): a person who reacted the same
 * way on the primary and on a duplicate counts once, and `mine` says whether I did on any of them.
 */
export async function reactionsAcross(db: Db, family: SQL, personId: string): Promise<ReactionCount[]> {
  const rows = await db
    .select({
      reaction: insightReactions.reaction,
      count: sql<number>`count(distinct ${insightReactions.personId})`.mapWith(Number),
      mine: sql<boolean>`bool_or(${insightReactions.personId} = ${personId})`,
    })
    .from(insightReactions)
    .where(sql`${insightReactions.insightId} in ${family}`)
    .groupBy(insightReactions.reaction);
  const found = new Map(rows.map((r) => [r.reaction, r]));
  return REACTION_KINDS.map((reaction) => {
    const row = found.get(reaction);
    return { reaction, count: row?.count ?? 0, mine: row?.mine === true };
  });
}

/** True when this call added the reaction; false when the person had already reacted this way. */
export async function addReaction(
  tx: Db,
  row: { insightId: string; personId: string; reaction: ReactionKind; createdAt: Date },
): Promise<boolean> {
  const added = await tx
    .insert(insightReactions)
    .values(row)
    .onConflictDoNothing()
    .returning({ insightId: insightReactions.insightId });
  return added.length > 0;
}

/** True when this call removed the reaction; false when there was none to remove. */
export async function removeReaction(
  tx: Db,
  key: { insightId: string; personId: string; reaction: ReactionKind },
): Promise<boolean> {
  const removed = await tx
    .delete(insightReactions)
    .where(
      and(
        eq(insightReactions.insightId, key.insightId),
        eq(insightReactions.personId, key.personId),
        eq(insightReactions.reaction, key.reaction),
      ),
    )
    .returning({ insightId: insightReactions.insightId });
  return removed.length > 0;
}

/** The notes of a family of insights (`mergedFamily`), oldest first (the id breaks ties: a stable order). */
export async function notesOf(db: Db, family: SQL): Promise<Note[]> {
  const rows = await db
    .select(noteColumns)
    .from(insightNotes)
    .innerJoin(people, eq(people.id, insightNotes.authorId))
    .where(sql`${insightNotes.insightId} in ${family}`)
    .orderBy(asc(insightNotes.createdAt), asc(insightNotes.id));
  return rows.map(toNote);
}

export async function findNote(db: Db, id: string): Promise<Note | null> {
  const [row] = await db
    .select(noteColumns)
    .from(insightNotes)
    .innerJoin(people, eq(people.id, insightNotes.authorId))
    .where(eq(insightNotes.id, id))
    .limit(1);
  return row ? toNote(row) : null;
}

/** A note of this insight (a reply's parent must be one); null when the id names no note of it. */
export async function findNoteOfInsight(db: Db, id: string, insightId: string) {
  const [row] = await db
    .select({ id: insightNotes.id, parentId: insightNotes.parentId })
    .from(insightNotes)
    .where(and(eq(insightNotes.id, id), eq(insightNotes.insightId, insightId)))
    .limit(1);
  return row ?? null;
}

/** Which of these people may be mentioned: in the directory and not deactivated (one query). */
export async function mentionablePeopleAmong(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: people.id })
    .from(people)
    .where(and(inArray(people.id, [...ids]), ne(people.status, 'deactivated')));
  return new Set(rows.map((r) => r.id));
}

/** Insert unless the id exists; true when this call created the note. */
export async function insertNoteIfAbsent(tx: Db, row: typeof insightNotes.$inferInsert): Promise<boolean> {
  const created = await tx
    .insert(insightNotes)
    .values(row)
    .onConflictDoNothing({ target: insightNotes.id })
    .returning({ id: insightNotes.id });
  return created.length > 0;
}

/**
 * Note count and newest note of each insight, in one query: the window count is computed over all of an
 * insight's notes before `distinct on` keeps only its newest row.
 */
export async function noteSummariesForInsights(
  db: Db,
  insightIds: readonly string[],
): Promise<Map<string, { count: number; latest: Note }>> {
  if (insightIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([insightNotes.insightId], {
      ...noteColumns,
      total: sql<number>`count(*) over (partition by ${insightNotes.insightId})`.mapWith(Number),
    })
    .from(insightNotes)
    .innerJoin(people, eq(people.id, insightNotes.authorId))
    .where(inArray(insightNotes.insightId, [...insightIds]))
    .orderBy(insightNotes.insightId, desc(insightNotes.createdAt), desc(insightNotes.id));
  return new Map(rows.map((row) => [row.note.insightId, { count: row.total, latest: toNote(row) }]));
}

export async function attachmentCountsForInsights(
  db: Db,
  insightIds: readonly string[],
): Promise<Map<string, number>> {
  if (insightIds.length === 0) return new Map();
  const rows = await db
    .select({ insightId: insightAttachments.insightId, n: count() })
    .from(insightAttachments)
    .where(inArray(insightAttachments.insightId, [...insightIds]))
    .groupBy(insightAttachments.insightId);
  return new Map(rows.map((r) => [r.insightId, Number(r.n)]));
}
