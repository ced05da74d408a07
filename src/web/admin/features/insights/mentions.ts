import { LIMITS } from '../../../../contract/limits.ts';

/**
 * @mentions in team notes, as plain text logic (no React): the person types "@ma", picks Maya Patel from the
 * suggestions, the body then reads "@Maya Patel " and the note is sent with her id in `mentions`. The server
 * answers each note with its mentions ({id, name}); rendering marks every "@Name" of those people.
 */

export interface MentionPerson {
  id: string;
  name: string;
}

/** The "@query" being typed right before the caret, if any: where the "@" is and what follows it. */
export interface ActiveMention {
  start: number;
  query: string;
}

const TYPING = /(?:^|[\s(])@([\p{L}\p{N}._'-]{0,40})$/u;

export function activeMention(text: string, caret: number): ActiveMention | null {
  const before = text.slice(0, Math.max(0, Math.min(caret, text.length)));
  const match = TYPING.exec(before);
  if (match === null) return null;
  const query = match[1] ?? '';
  return { start: before.length - query.length - 1, query };
}

/** Replaces the "@query" at `mention` with "@Name " and answers the new text and caret. */
export function insertMention(
  text: string,
  mention: ActiveMention,
  caret: number,
  person: MentionPerson,
): { text: string; caret: number } {
  const inserted = `@${person.name} `;
  const end = Math.max(caret, mention.start + 1 + mention.query.length);
  const after = text.slice(end).replace(/^ /, '');
  return { text: text.slice(0, mention.start) + inserted + after, caret: mention.start + inserted.length };
}

function mentionedIn(body: string, name: string): boolean {
  const needle = `@${name}`;
  let from = 0;
  for (;;) {
    const at = body.indexOf(needle, from);
    if (at < 0) return false;
    const next = body.charAt(at + needle.length);
    // "@Ann" is not a mention of Ann inside "@Anna".
    if (next === '' || !/[\p{L}\p{N}]/u.test(next)) return true;
    from = at + 1;
  }
}

/**
 * The ids to send as `mentions`: the people picked while writing whose "@Name" is still in the body (one each,
 * picking order, at most LIMITS.mentionsPerNote). Deleting "@Maya Patel" from the text un-mentions her.
 */
export function mentionIds(body: string, picked: readonly MentionPerson[]): string[] {
  const ids: string[] = [];
  for (const person of picked) {
    if (ids.includes(person.id) || !mentionedIn(body, person.name)) continue;
    ids.push(person.id);
    if (ids.length === LIMITS.mentionsPerNote) break;
  }
  return ids;
}

export type MentionSegment = { text: string } | { text: string; person: MentionPerson };

/**
 * A note body split into text and "@Name" segments for the people the note mentions (longest names first,
 * so "@Ann Lee" wins over "@Ann"). Text that merely looks like a mention of someone else stays text.
 */
export function mentionSegments(body: string, mentions: readonly MentionPerson[]): MentionSegment[] {
  const people = [...mentions].filter((p) => p.name !== '').sort((a, b) => b.name.length - a.name.length);
  const segments: MentionSegment[] = [];
  let text = '';
  let i = 0;
  outer: while (i < body.length) {
    if (body[i] === '@') {
      for (const person of people) {
        const token = `@${person.name}`;
        if (!body.startsWith(token, i)) continue;
        const next = body.charAt(i + token.length);
        if (next !== '' && /[\p{L}\p{N}]/u.test(next)) continue;
        if (text !== '') segments.push({ text });
        text = '';
        segments.push({ text: token, person });
        i += token.length;
        continue outer;
      }
    }
    text += body[i];
    i += 1;
  }
  if (text !== '') segments.push({ text });
  return segments;
}
