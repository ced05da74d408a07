import { and, inArray, ne, sql } from 'drizzle-orm';
import { MENTION_SOURCE, type Mention, WORKSPACE_LIMITS } from '../../../contract/api/workspace.ts';
import type { Db } from '../../db/client.ts';
import { people } from '../../db/schema.ts';

/**
 * @mentions: `@first.last`, the local part of a person's e-mail (maya.patel@example.com is @maya.patel),
 * matched ignoring case. Resolved when the comment is written; a handle that names nobody (or more than one
 * active person) stays plain text, never an error. Deactivated people are not mentioned.
 */

export function parseHandles(body: string): string[] {
  const handles: string[] = [];
  for (const match of body.matchAll(new RegExp(MENTION_SOURCE, 'gi'))) {
    const handle = (match[1] ?? '').toLowerCase();
    if (handle !== '' && !handles.includes(handle)) handles.push(handle);
    if (handles.length >= WORKSPACE_LIMITS.mentionsPerComment) break;
  }
  return handles;
}

export const handleOf = (email: string): string => (email.split('@')[0] ?? email).toLowerCase();

/** The people the body's handles name, in the order written (each handle to exactly one active person). */
export async function resolveMentions(db: Db, body: string): Promise<Mention[]> {
  const handles = parseHandles(body);
  if (handles.length === 0) return [];
  const local = sql<string>`lower(split_part(${people.email}, '@', 1))`;
  const rows = await db
    .select({ id: people.id, name: people.displayName, handle: local })
    .from(people)
    .where(and(inArray(local, handles), ne(people.status, 'deactivated')));
  const mentions: Mention[] = [];
  for (const handle of handles) {
    const matches = rows.filter((row) => row.handle === handle);
    const [only] = matches;
    if (matches.length === 1 && only) mentions.push({ id: only.id, name: only.name, handle });
  }
  return mentions;
}

/** Names and handles of mentioned people, by id (a person since deleted is simply left out). */
export async function mentionedPeople(db: Db, ids: string[]): Promise<Map<string, Mention>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, Mention>();
  if (unique.length === 0) return found;
  const rows = await db
    .select({ id: people.id, name: people.displayName, email: people.email })
    .from(people)
    .where(inArray(people.id, unique));
  for (const row of rows) found.set(row.id, { id: row.id, name: row.name, handle: handleOf(row.email) });
  return found;
}
