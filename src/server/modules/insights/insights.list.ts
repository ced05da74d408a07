import { createHash } from 'node:crypto';
import { and, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { InsightFilter, InsightListQuery, InsightPage } from '../../../contract/api/insights.ts';
import type { InsightSort, SnippetSegment } from '../../../contract/reporting.ts';
import { ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import type { RequestContext } from '../identity/actor.ts';
import { filterConditions, reportableScope, searchQuery } from './insights.filter.ts';
import { authorizeInsight, insightReadScope } from './insights.policy.ts';
import * as repo from './insights.repo.ts';
import type { InsightDeps } from './insights.service.ts';

type ListInput = z.output<typeof InsightListQuery>;

const SORT_CODES = { newest: 'n', oldest: 'o', relevance: 'r' } as const;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELD = 'query.cursor';

const invalidCursor = (message: string) =>
  new ValidationError('The cursor does not continue this list.', [{ field: FIELD, message }]);

/**
 * The filter a cursor was issued for, as a short digest: a cursor continues the list it came from, so one sent
 * with another sort or other filters is refused (400) instead of paging silently through something else.
 */
export function filterFingerprint(filter: Partial<InsightFilter>): string {
  const entries = Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [key, Array.isArray(value) ? [...value].sort() : value])
    .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 12);
}

/**
 * Opaque (base64url JSON), not secret: [sort code, position, id, filter digest]. The position is captured_at
 * as PostgreSQL printed it (microseconds kept) for newest/oldest, the ts_rank_cd value for relevance.
 */
export function encodeListCursor(keyset: repo.Keyset, fingerprint: string): string {
  const position = keyset.sort === 'relevance' ? keyset.rank : keyset.at;
  return Buffer.from(JSON.stringify([SORT_CODES[keyset.sort], position, keyset.id, fingerprint])).toString(
    'base64url',
  );
}

/** Validates a cursor against the list it is sent with: 400 naming query.cursor when it does not fit. */
export function decodeListCursor(cursor: string, sort: InsightSort, fingerprint: string): repo.Keyset {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 4) {
    throw invalidCursor('is not a valid cursor; use nextCursor from the previous page');
  }
  const [code, position, id, digest] = value as unknown[];
  const issuedFor = (Object.keys(SORT_CODES) as InsightSort[]).find((s) => SORT_CODES[s] === code);
  const wellFormed =
    issuedFor !== undefined &&
    typeof id === 'string' &&
    UUID.test(id) &&
    typeof digest === 'string' &&
    (issuedFor === 'relevance'
      ? typeof position === 'number' && Number.isFinite(position) && position >= 0
      : typeof position === 'string' && ISO_INSTANT.test(position) && !Number.isNaN(Date.parse(position)));
  if (!wellFormed) throw invalidCursor('is not a valid cursor; use nextCursor from the previous page');
  if (issuedFor !== sort) {
    throw invalidCursor(
      `was issued for sort=${issuedFor}, not sort=${sort}; start again from the first page of this sort`,
    );
  }
  if (digest !== fingerprint) {
    throw invalidCursor('was issued for other filters or another search; start again from the first page');
  }
  return sort === 'relevance'
    ? { sort, rank: position as number, id: id as string }
    : { sort, at: position as string, id: id as string };
}

const ORIGINAL_OF = new Map<string, string>(
  Object.entries(repo.HEADLINE_STAND_INS).map(([char, standIn]) => [standIn, char]),
);

/** ts_headline output (matches between \u0002 and \u0003) as text segments; never HTML. */
export function snippetSegments(headline: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let match = false;
  let text = '';
  const flush = () => {
    if (text) segments.push({ text, match });
    text = '';
  };
  for (const char of headline) {
    if (char === '\u0002' || char === '\u0003') {
      flush();
      match = char === '\u0002';
    } else {
      text += ORIGINAL_OF.get(char) ?? char;
    }
  }
  flush();
  return segments;
}

/** Default order: best match first with a search, newest first without; relevance needs something to rank. */
export function resolveSort(asked: InsightSort | undefined, q: string | undefined): InsightSort {
  const sort = asked ?? (q ? 'relevance' : 'newest');
  if (sort === 'relevance' && !q) {
    throw new ValidationError('Relevance needs a search.', [
      {
        field: 'query.sort',
        message: 'relevance needs q (a search query); use newest or oldest without one',
      },
    ]);
  }
  return sort;
}

/**
 * GET /api/v1/insights: insights in the actor's read scope, merged duplicates left out (they count once, as
 * their primary; GET /api/v1/insights/:id still shows them), the one insight filter, one of three sorts, keyset
 * pages of `limit` with a nextCursor whenever more exist (no silent cap). With q: rank and snippet per item.
 * The page's ids and its full rows are read in one read-only snapshot, so they agree.
 */
export async function listInsights(
  deps: InsightDeps,
  ctx: RequestContext,
  query: ListInput,
): Promise<InsightPage> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'read');
  const { limit, cursor, sort: asked, ...filter } = query;
  const sort = resolveSort(asked, filter.q);
  const fingerprint = filterFingerprint(filter);
  const after = cursor ? decodeListCursor(cursor, sort, fingerprint) : null;
  const scope = reportableScope(actor);
  const where = and(scope, ...filterConditions(filter)) as SQL;
  const tsquery = filter.q ? searchQuery(filter.q) : null;

  const { hits, insights } = await deps.db.transaction(
    async (tx) => {
      const hits = await repo.pageInsightHits(tx, { where, sort, tsquery, after, limit });
      const ids = hits.slice(0, limit).map((hit) => hit.id);
      // The page's rows are already chosen; read them (and their merge counts) in the plain read scope.
      return { hits, insights: await repo.findInsightsByIds(tx, insightReadScope(actor), ids) };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const hitById = new Map(hits.map((hit) => [hit.id, hit]));
  const items = insights.map((insight) => {
    const hit = hitById.get(insight.id);
    return {
      ...insight,
      rank: tsquery ? (hit?.rank ?? null) : null,
      snippet: tsquery && hit?.headline != null ? snippetSegments(hit.headline) : null,
    };
  });
  const last = hits.length > limit ? hits[limit - 1] : undefined;
  const nextCursor = last
    ? encodeListCursor(
        sort === 'relevance'
          ? { sort, rank: last.rank ?? 0, id: last.id }
          : { sort, at: last.at, id: last.id },
        fingerprint,
      )
    : null;
  return { items, nextCursor };
}
