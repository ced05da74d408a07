import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Themes } from '../../src/contract/api/reporting.ts';
import { resolvePeriod } from '../../src/contract/reporting.ts';
import { insights, people } from '../../src/server/db/schema.ts';
import type { Actor } from '../../src/server/modules/identity/actor.ts';
import { reportConditions } from '../../src/server/modules/insights/insights.filter.ts';
import { themesFor } from '../../src/server/modules/themes/themes.service.ts';
import { combinedQuery, orClauses } from '../../src/server/modules/themes/themes.words.ts';
import { AUTHORS, EMERGING_TOPICS, LABELLED_INSIGHTS, NOW } from '../fixtures/themes.labelled.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * Theme detection against the labelled fixture, on a real database: the same themesFor the API and the
 * executive report use. Prints precision and recall at the theme level (reported themes that are a planted
 * emerging topic) and the citation level (citations that belong to their theme's topic), asserts both
 * precisions ≥ 0.8.
 */
const DAY = 86_400_000;
let tdb: TestDatabase;
const topicOf = new Map<string, string>();
const period = resolvePeriod({ period: 'last30' }, NOW.toISOString().slice(0, 10));
let actor: Actor;
let result: Themes;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const db = tdb.database.db;
  const personOf = new Map<string, string>();
  for (const author of AUTHORS) {
    const id = randomUUID();
    personOf.set(author, id);
    await db.insert(people).values({ id, email: `${author}@example.com`, displayName: `Advocate ${author}` });
  }
  const rows = LABELLED_INSIGHTS.map((i) => {
    const id = randomUUID();
    topicOf.set(id, i.topic);
    const at = new Date(NOW.getTime() - i.daysAgo * DAY - 3_600_000);
    return {
      id,
      authorId: personOf.get(i.author) as string,
      text: i.text,
      title: i.title,
      tags: i.tags,
      type: 'pain_point',
      sentiment: 'neutral',
      priority: 'medium',
      source: 'seed' as const,
      taxonomyVersion: '2026.1',
      capturedAt: at,
      createdAt: at,
      updatedAt: at,
    };
  });
  await db.insert(insights).values(rows);
  actor = {
    personId: personOf.get('a1') as string,
    name: 'Advocate a1',
    email: 'a1@example.com',
    team: null,
    role: 'admin',
    scope: { kind: 'all' },
    sessionId: null,
    amr: [],
    via: 'session',
    mfaAt: null,
    tokenId: null,
    tokenScopes: null,
  };
  const started = performance.now();
  result = await themesFor(db, actor, {}, period, NOW);
  console.log(`themesFor: ${Math.round(performance.now() - started)} ms`);
});
afterAll(async () => {
  await tdb?.drop();
});

/** The insights a theme's query lists this period (what GET /api/v1/insights?q=… returns). */
async function membersOf(q: string): Promise<string[]> {
  const found = await tdb.database.db
    .select({ id: insights.id })
    .from(insights)
    .where(reportConditions(actor, { q }, period));
  return found.map((r) => r.id);
}

function majority(ids: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(topicOf.get(id) ?? '?', (counts.get(topicOf.get(id) ?? '?') ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

describe('emerging themes on the labelled fixture', () => {
  it('has at least 200 labelled insights over two periods', () => {
    expect(LABELLED_INSIGHTS.length).toBeGreaterThanOrEqual(200);
    expect(LABELLED_INSIGHTS.some((i) => i.daysAgo >= 30)).toBe(true);
  });

  it('finds the planted emerging topics with precision ≥ 0.8 (themes and citations)', async () => {
    const claimed = new Set<string>();
    let themeHits = 0;
    let citations = 0;
    let citationHits = 0;
    let labelled = 0;
    let labelledFound = 0;
    const lines: string[] = [];
    for (const theme of result.themes) {
      const members = await membersOf(theme.query);
      expect(members.length).toBe(theme.current);
      const topic = majority(members);
      const match = topic !== undefined && EMERGING_TOPICS.includes(topic) && !claimed.has(topic);
      if (match && topic) {
        claimed.add(topic);
        themeHits += 1;
        const planted = LABELLED_INSIGHTS.filter((i) => i.topic === topic && i.daysAgo < 30).length;
        labelled += planted;
        labelledFound += members.filter((id) => topicOf.get(id) === topic).length;
      }
      for (const c of theme.citations) {
        citations += 1;
        if (match && topicOf.get(c.insightId) === topic) citationHits += 1;
      }
      lines.push(
        `  "${theme.label}" [${theme.terms.join(', ')}] ${theme.current}/${theme.previous} G² ${theme.score} → ${topic}`,
      );
    }
    const themePrecision = result.themes.length === 0 ? 0 : themeHits / result.themes.length;
    const themeRecall = claimed.size / EMERGING_TOPICS.length;
    const citationPrecision = citations === 0 ? 0 : citationHits / citations;
    const citationRecall = labelled === 0 ? 0 : labelledFound / labelled;
    console.log(
      `${result.insightsConsidered} insights this period; themes: precision ${themePrecision.toFixed(2)} recall ${themeRecall.toFixed(2)} (${themeHits}/${result.themes.length} reported, ${claimed.size}/${EMERGING_TOPICS.length} planted); ` +
        `citations: precision ${citationPrecision.toFixed(2)} (${citationHits}/${citations}), recall of the theme lists ${citationRecall.toFixed(2)} (${labelledFound}/${labelled})\n${lines.join('\n')}`,
    );
    // Labels read as phrases people wrote ("vector search latency"), not as stems ("latenc").
    expect(result.themes.map((t) => t.label.toLowerCase())).toContain('vector search latency');
    expect(result.themes.every((t) => t.label.includes(' '))).toBe(true);
    expect(themePrecision).toBeGreaterThanOrEqual(0.8);
    expect(citationPrecision).toBeGreaterThanOrEqual(0.8);
    expect(themeRecall).toBeGreaterThanOrEqual(0.75);
  });

  it('never reports stable, declining or single-author topics', async () => {
    for (const theme of result.themes) {
      const topic = majority(await membersOf(theme.query));
      expect([
        'schema-design',
        'pricing',
        'realm-sync',
        'serverless-cold-start',
        'graphql-chatty',
      ]).not.toContain(topic);
    }
  });
});

describe("a theme's query within the report's own search", () => {
  it('splits a web-search query into its OR clauses, quotes kept whole', () => {
    expect(orClauses('kafka')).toEqual(['kafka']);
    expect(orClauses('a b OR c or d')).toEqual(['a b', 'c', 'd']);
    expect(orClauses('"this or that" -x OR y')).toEqual(['"this or that" -x', 'y']);
    expect(orClauses('"left open')).toEqual(['"left open"']);
    expect(combinedQuery(undefined, ['kafka', 'connector'])).toBe('kafka OR connector');
    expect(combinedQuery('a OR b c', ['x', 'y'])).toBe('a x OR a y OR b c x OR b c y');
  });

  it('selects exactly the insights matching the report search AND the theme', async () => {
    const db = tdb.database.db;
    const theme = ['kafka', 'latency', 'provider'];
    for (const q of [
      'kafka',
      'kafka OR terraform',
      '"vector search" -pgvector',
      'async OR "schema design" OR pricing',
      '"search latency',
      'docs OR -kafka',
    ]) {
      const both = combinedQuery(q, theme);
      const [row] = (
        (await db.execute(sql`select
            count(*) filter (where search_vector @@ (websearch_to_tsquery('english', ${q}) && websearch_to_tsquery('english', ${theme.join(' OR ')})))::int as expected,
            count(*) filter (where search_vector @@ websearch_to_tsquery('english', ${both}))::int as actual
          from insights`)) as unknown as { rows: { expected: number; actual: number }[] }
      ).rows;
      expect(row?.actual, `${q} → ${both}`).toBe(row?.expected);
    }
  });
});
