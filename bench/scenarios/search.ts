import { sql } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.ts';
import { queryRows } from '../../src/server/db/client.ts';
import { type Session, startStack } from '../../test/helpers/stack.ts';
import { generateVolume, sizesFor } from '../data/generate.ts';
import { percentile, type Scenario } from '../harness.ts';

/** The budget: full-text search p95 on 1 M insights. */
export const SEARCH_P95_BUDGET_MS = 50;

/**
 * Search terms against the generated vocabulary (bench/data/vocabulary.ts), frequent to very rare: "atlas" is in
 * about a fifth of the insights, "timeout" and the phrase a few percent, "vector search latency" (all three
 * words) a fraction of a percent, "kerberos" 1 in 2,000, "zstd" 1 in 20,000.
 */
export const SEARCH_TERMS = [
  'atlas',
  'timeout',
  '"connection pool"',
  'vector search latency',
  'kerberos',
  'zstd',
] as const;

const PAGE = 25;

async function timedSearch(session: Session, q: string): Promise<number> {
  const path = `/api/v1/insights?q=${encodeURIComponent(q)}&limit=${PAGE}`;
  const start = performance.now();
  const response = await session.get(path);
  const text = await response.text();
  const ms = performance.now() - start;
  if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}: ${text.slice(0, 300)}`);
  return ms;
}

/** The floor: the same full-text match and rank order as raw SQL, ids and ranks of the first page only. */
async function timedRawSql(db: Db, q: string): Promise<number> {
  const start = performance.now();
  await queryRows(
    db,
    sql`select id, ts_rank_cd(search_vector, query) as rank
        from insights, websearch_to_tsquery('english', ${q}) query
        where search_vector @@ query
        order by rank desc
        limit ${PAGE}`,
  );
  return performance.now() - start;
}

/**
 * GET /api/v1/insights?q=<term> (first page of 25, default relevance order) over HTTP as an admin (scope all),
 * several terms from frequent to very rare, each sampled the same number of times; ours = p95 over all
 * samples (absolute budget 50 ms). Baseline, in the same run and database: the raw `search_vector @@ query`
 * ORDER BY ts_rank_cd LIMIT 25 (no scope, no snippet, no rows, no HTTP). Per-term figures and match counts
 * are logged: the cost grows with the number of matches, since relevance must rank every match.
 */
export const search: Scenario = {
  name: 'search',
  description: 'full-text search, first page by relevance, frequent to rare terms, p95 (admin, over HTTP)',
  target: { kind: 'absolute_max', value: SEARCH_P95_BUDGET_MS, unit: 'ms', note: 'p95' },
  async run(context) {
    const sizes = sizesFor(context);
    const perTerm = context.smoke ? 3 : 8;
    const stack = await startStack();
    try {
      await generateVolume(stack.db.database, sizes, context.log);
      const db = stack.db.database.db;
      const admin = await stack.signIn('Priya', { auth: 'mfa' });
      const ours: number[] = [];
      const baseline: number[] = [];
      const perTermLines: string[] = [];
      for (const term of SEARCH_TERMS) {
        const [matches] = await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from insights where search_vector @@ websearch_to_tsquery('english', ${term})`,
        );
        await timedSearch(admin, term);
        await timedRawSql(db, term);
        const termOurs: number[] = [];
        const termBase: number[] = [];
        for (let i = 0; i < perTerm; i += 1) {
          termOurs.push(await timedSearch(admin, term));
          termBase.push(await timedRawSql(db, term));
        }
        ours.push(...termOurs);
        baseline.push(...termBase);
        const line =
          `${term} (${Number(matches?.n ?? 0)} matches): p50 ${percentile(termOurs, 50).toFixed(1)} / ` +
          `p95 ${percentile(termOurs, 95).toFixed(1)} ms; raw SQL p95 ${percentile(termBase, 95).toFixed(1)} ms`;
        perTermLines.push(line);
        context.log(line);
      }
      const p95 = percentile(ours, 95);
      const base95 = percentile(baseline, 95);
      return {
        ours: p95,
        baseline: base95,
        unit: 'ms',
        details:
          `p95 of ${ours.length} searches (${SEARCH_TERMS.length} terms × ${perTerm}) as an admin vs raw SQL ` +
          `rank + LIMIT ${PAGE}; ${sizes.insights} insights on ${context.database}` +
          (context.database === 'pglite' && !context.smoke ? ' (PGlite scaled to 100k insights)' : '') +
          `; per term: ${perTermLines.join('; ')}`,
      };
    } finally {
      await stack.close();
    }
  },
};
