import type { z } from 'zod';
import type { Insight } from '../../../contract/api/insights.ts';
import type {
  DuplicateCandidates,
  DuplicateDismiss,
  DuplicatePair,
  DuplicatePairs,
  DuplicatePairsQuery,
} from '../../../contract/api/review.ts';
import type { FieldError } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { insightReadScope } from '../insights/insights.policy.ts';
import { findInsight } from '../insights/insights.repo.ts';
import { authorizeDuplicates } from './duplicates.policy.ts';
import * as repo from './duplicates.repo.ts';
import {
  CANDIDATES_MAX,
  DUPLICATE_THRESHOLD,
  duplicateReasons,
  orderedPair,
  PAIRS_WINDOW_DEFAULT_DAYS,
  PAIRS_WINDOW_MAX_DAYS,
} from './duplicates.scoring.ts';

export interface DuplicateDeps {
  db: Db;
  now: () => Date;
}

type PairsInput = z.output<typeof DuplicatePairsQuery>;
type DismissInput = z.output<typeof DuplicateDismiss>;

const DAY_MS = 86_400_000;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A 404 that names the field holding the id (in a body with several ids, which one is unknown matters). */
export function notFoundField(field: string): AppError {
  const errors: FieldError[] = [{ field, message: 'is not an insight in your scope' }];
  return new AppError(404, 'Not found', 'No such insight, or it is outside your scope.', errors);
}

/**
 * The days whose captures start a pair: [from, to] inclusive, UTC. Defaults: to = today, from = 29 days
 * before `to` (30 days, like "Last 30 days"). At most 92 days, `to` not before `from`: 400 naming `to`.
 */
export function pairWindow(input: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const to = input.to ?? now.toISOString().slice(0, 10);
  const from = input.from ?? isoDay(dayMs(to) - (PAIRS_WINDOW_DEFAULT_DAYS - 1) * DAY_MS);
  const days = (dayMs(to) - dayMs(from)) / DAY_MS + 1;
  if (days < 1)
    throw new ValidationError('The window ends before it starts.', [
      { field: 'query.to', message: 'must not be before from' },
    ]);
  if (days > PAIRS_WINDOW_MAX_DAYS)
    throw new ValidationError(`Pairs are searched in at most ${PAIRS_WINDOW_MAX_DAYS} days at a time.`, [
      { field: 'query.to', message: `must be at most ${PAIRS_WINDOW_MAX_DAYS} days after from (inclusive)` },
    ]);
  return { from, to, window: { from: new Date(dayMs(from)), until: new Date(dayMs(to) + DAY_MS) } };
}

/** Opaque keyset cursor over (similarity desc, older id, newer id); validated on the way back in. */
function encodePairCursor(c: repo.PairCursor): string {
  return Buffer.from(JSON.stringify([c.similarity, c.olderId, c.newerId])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodePairCursor(cursor: string): repo.PairCursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      typeof v[0] === 'number' &&
      Number.isFinite(v[0]) &&
      typeof v[1] === 'string' &&
      UUID.test(v[1]) &&
      typeof v[2] === 'string' &&
      UUID.test(v[2])
    )
      return { similarity: v[0], olderId: v[1], newerId: v[2] };
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('The cursor is not one this server issued.', [
    { field: 'query.cursor', message: 'is not a valid cursor; use nextCursor from the previous page' },
  ]);
}

/**
 * The detector's SQL already keeps both sides of a pair in the actor's scope; loading the full insights
 * applies the scope again. An id the detector proposed but the scoped load cannot find would be a scope
 * leak in the detector: fail closed (500, nothing sent) rather than quietly drop it and hide the bug.
 */
function inScope(byId: Map<string, Insight>, id: string): Insight {
  const insight = byId.get(id);
  if (!insight) throw new Error(`duplicate detector proposed insight ${id} outside the actor's scope`);
  return insight;
}

/** GET /api/v1/insights/:id/duplicates: the insights most like this one (top 10), with reasons. */
export async function duplicateCandidates(
  deps: DuplicateDeps,
  ctx: RequestContext,
  id: string,
): Promise<z.infer<typeof DuplicateCandidates>> {
  const actor = requireActor(ctx);
  authorizeDuplicates(actor, 'read');
  const insight = await findInsight(deps.db, insightReadScope(actor), id);
  if (!insight) throw new NotFoundError('insight');
  const found = await repo.candidatesFor(deps.db, actor, insight, DUPLICATE_THRESHOLD, CANDIDATES_MAX);
  const byId = await repo.insightsById(
    deps.db,
    actor,
    found.map((c) => c.id),
  );
  return {
    candidates: found.map(({ id: candidateId, similarity }) => {
      const other = inScope(byId, candidateId);
      return { insight: other, similarity, reasons: duplicateReasons(insight, other, similarity) };
    }),
  };
}

/** GET /api/v1/duplicates: proposed pairs whose newer insight was captured in the window, most similar first. */
export async function duplicatePairs(
  deps: DuplicateDeps,
  ctx: RequestContext,
  query: PairsInput,
): Promise<DuplicatePairs> {
  const actor = requireActor(ctx);
  authorizeDuplicates(actor, 'read');
  const { window } = pairWindow(query, deps.now());
  const after = query.cursor ? decodePairCursor(query.cursor) : null;
  const threshold = query.minSimilarity ?? DUPLICATE_THRESHOLD;
  const { rows, hasMore } = await repo.pairsPage(deps.db, actor, window, threshold, {
    limit: query.limit,
    after,
  });
  const byId = await repo.insightsById(
    deps.db,
    actor,
    rows.flatMap((r) => [r.olderId, r.newerId]),
  );
  const pairs: DuplicatePair[] = rows.map((r) => {
    const [a, b] = [inScope(byId, r.olderId), inScope(byId, r.newerId)];
    return { a, b, similarity: r.similarity, reasons: duplicateReasons(a, b, r.similarity) };
  });
  const last = rows.at(-1);
  return { pairs, nextCursor: hasMore && last ? encodePairCursor(last) : null };
}

/**
 * POST /api/v1/duplicates/dismiss: "these two are not duplicates", for everyone (the pair is never proposed
 * again, in either order). Both must be in the reviewer's scope. Idempotent: dismissing a dismissed pair
 * changes nothing and writes no second audit event.
 */
export async function dismissPair(deps: DuplicateDeps, ctx: RequestContext, input: DismissInput) {
  const actor = requireActor(ctx);
  authorizeDuplicates(actor, 'review');
  const pair = { a: input.a.toLowerCase(), b: input.b.toLowerCase() };
  if (pair.a === pair.b)
    throw new ValidationError('A pair needs two different insights.', [
      { field: 'body.b', message: 'must be a different insight than a' },
    ]);
  const found = await repo.insightsById(deps.db, actor, [pair.a, pair.b]);
  const missing = (['a', 'b'] as const).find((key) => !found.has(pair[key]));
  if (missing) throw notFoundField(`body.${missing}`);
  const [first, second] = orderedPair(pair.a, pair.b);
  await deps.db.transaction(async (tx) => {
    const created = await repo.insertDismissal(tx, {
      insightA: first,
      insightB: second,
      dismissedBy: actor.personId,
      dismissedAt: deps.now(),
    });
    if (created)
      await audit(tx, ctx, { action: 'duplicate.dismissed', targetId: first, details: { otherId: second } });
  });
}
