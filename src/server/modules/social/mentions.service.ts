import type { z } from 'zod';
import type { MentionablePeople, MentionableQuery } from '../../../contract/api/review.ts';
import type { MentionPage, MentionsQuery } from '../../../contract/api/social.ts';
import { atLeast } from '../../../contract/roles.ts';
import { decodeCursor, encodeCursor } from '../../db/cursor.ts';
import { requireActor } from '../../plugins/types.ts';
import { evaluateWith, loadBatchFacts, loadRules } from '../access/entitlements.batch.ts';
import type { RequestContext } from '../identity/actor.ts';
import { insightReadScope } from '../insights/insights.policy.ts';
import * as repo from './mentions.repo.ts';
import { authorizeSocial } from './social.policy.ts';
import { toNote } from './social.repo.ts';
import type { SocialDeps } from './social.service.ts';

/** How many candidates are evaluated at a time while filling a page of mentionable people. */
const BATCH = 100;

/**
 * GET /api/v1/me/mentions: notes that @mention me, newest first, keyset-paginated, only on insights in my read
 * scope (the condition is in the query): a mention on an insight I cannot see is never listed, nor counted.
 */
export async function myMentions(
  deps: SocialDeps,
  ctx: RequestContext,
  query: z.output<typeof MentionsQuery>,
): Promise<MentionPage> {
  const actor = requireActor(ctx);
  authorizeSocial(actor, 'read');
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows, hasMore } = await repo.notesMentioning(deps.db, insightReadScope(actor), actor.personId, {
    limit: query.limit,
    after,
  });
  const items = rows.map((row) => ({
    note: toNote(row),
    insight: { id: row.note.insightId, title: row.insightTitle, excerpt: row.insightExcerpt },
  }));
  const last = rows.at(-1);
  return { items, nextCursor: hasMore && last ? encodeCursor(last.note.createdAt, last.note.id) : null };
}

/**
 * GET /api/v1/people/mentionable: people one may @mention in a note — not deactivated, and with a role that may
 * write notes (advocate and up, as the entitlement engine evaluates them right now, in batches: the rule set
 * once per request, each batch's facts in two queries). Asked by those who write notes (viewers: 403).
 */
export async function mentionablePeople(
  deps: SocialDeps,
  ctx: RequestContext,
  query: z.output<typeof MentionableQuery>,
): Promise<MentionablePeople> {
  const actor = requireActor(ctx);
  authorizeSocial(actor, 'note');
  const now = deps.now();
  const rules = await loadRules(deps.db);
  const items: MentionablePeople['items'] = [];
  let after: repo.CandidatePosition | null = null;
  while (items.length < query.limit) {
    const batch = await repo.candidates(deps.db, query.q, after, BATCH);
    if (batch.length === 0) break;
    const facts = await loadBatchFacts(
      deps.db,
      batch.map((p) => p.id),
      now,
    );
    for (const person of batch) {
      const access = evaluateWith(person, facts, rules, rules.spec, now);
      if (!access || !atLeast(access.role, 'advocate')) continue;
      items.push({ id: person.id, name: person.displayName, team: person.team });
      if (items.length === query.limit) break;
    }
    const last = batch.at(-1);
    if (batch.length < BATCH || !last) break;
    after = { rank: last.rank, key: last.key, id: last.id };
  }
  return { items };
}
