import type { SQL } from 'drizzle-orm';
import type { InsightFilter } from '../../../contract/api/insights.ts';
import type { ReportQuery, Theme, ThemeCitation, Themes } from '../../../contract/api/reporting.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { changeRatio, type ResolvedPeriod } from '../../../contract/reporting.ts';
import type { Db } from '../../db/client.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { capturedFrom, reportConditions } from '../insights/insights.filter.ts';
import { snippetSegments } from '../insights/insights.list.ts';
import { periodInfo, prepareReport, readSnapshot, scopeLabelOf } from '../reporting/dashboard.service.ts';
import {
  type Counts,
  emerging,
  explain,
  groupTerms,
  logLikelihood,
  overlapShare,
  queryTerms,
  scoreTerms,
  THEME_RULES,
  THEMES_METHOD,
  type Totals,
} from './themes.algorithm.ts';
import * as repo from './themes.repo.ts';
import { combinedQuery, themeWords } from './themes.words.ts';

type ReportFilter = Omit<InsightFilter, 'from' | 'to'>;

interface Candidate {
  key: string;
  label: string;
  terms: string[];
  query: string;
  counts: Counts;
  score: number;
}

/**
 * A group of terms → a theme candidate with its label, its query and its exact counts, or null when no term has
 * a plain written word (nothing a search could find) or the group's query would not fit a search box.
 */
async function candidateOf(
  db: Db,
  conditions: { where: (q: string) => SQL; whereCurrent: SQL; current: SQL },
  userQ: string | undefined,
  terms: { all: string[]; query: string[] },
  totals: Totals,
): Promise<Candidate | null> {
  const docs = await repo.sampleTokens(db, conditions.whereCurrent, terms.query);
  const { label, words } = themeWords(terms.all, docs);
  let kept = terms.query.filter((t) => words.has(t));
  let query = combinedQuery(
    userQ,
    kept.map((t) => words.get(t) as string),
  );
  while (kept.length > 1 && query.length > LIMITS.searchQuery) {
    kept = kept.slice(0, -1);
    query = combinedQuery(
      userQ,
      kept.map((t) => words.get(t) as string),
    );
  }
  if (kept.length === 0 || query.length > LIMITS.searchQuery) return null;
  const counts = await repo.themeCounts(db, conditions.where(query), conditions.current);
  if (!emerging(counts, totals)) return null;
  return {
    key: [...kept].sort().join('+'),
    label,
    terms: kept,
    query,
    counts,
    score: logLikelihood(counts, totals),
  };
}

async function citationsOf(db: Db, whereCurrent: SQL, query: string): Promise<ThemeCitation[]> {
  const found = await repo.citations(db, whereCurrent, query, LIMITS.themeCitations);
  return found.map((c) => ({
    insightId: c.id,
    quote: snippetSegments(c.headline),
    author: { id: c.authorId, name: c.authorName },
    event: c.eventId && c.eventName ? { id: c.eventId, name: c.eventName } : null,
    capturedAt: new Date(c.capturedAt).toISOString(),
  }));
}

/**
 * Emerging themes of a period against the previous period of the same length, for the actor's scope and a
 * report filter (merged duplicates excluded). Runs on the connection or transaction it is given (the executive
 * report calls it inside its own snapshot). The steps and their bounds:
 * 1. totals and per-stem document frequencies: aggregate SQL over search_vector;
 * 2. scoring (support, people, doubled share, G²) and the strongest THEME_RULES.candidateTerms stems, pure;
 * 3. which of those stems insights mention together (aggregate SQL, one row per combination) → groups of
 *    stems, and per group the stems its query uses, pure;
 * 4. for the strongest themesConsidered groups only: a sample of tokens → label and query words, then the exact
 *    counts of the theme's query (the same conditions GET /api/v1/insights applies to q);
 * 5. the best LIMITS.topN that are not a stronger theme again (same label, or ≥ facetShare of the same insights)
 *    get their citations (LIMITS.themeCitations each).
 */
export async function themesFor(
  db: Db,
  actor: Actor,
  filter: ReportFilter,
  period: ResolvedPeriod,
  now: Date,
): Promise<Themes> {
  const both = { from: period.previousFrom, to: period.to };
  const thisPeriod = { from: period.from, to: period.to };
  const current = capturedFrom(period.from);
  const where = reportConditions(actor, filter, both);
  const whereCurrent = reportConditions(actor, filter, thisPeriod);
  const periodTotals = await repo.totals(db, where, current);
  const answer = async (themes: Theme[]): Promise<Themes> => ({
    scopeLabel: await scopeLabelOf(db, actor),
    period: periodInfo(period),
    method: THEMES_METHOD,
    insightsConsidered: periodTotals.current,
    themes,
    generatedAt: now.toISOString(),
  });
  // Nothing to compare with (or nothing now): no stem can rise, so no theme; skip the scans.
  if (periodTotals.current === 0 || periodTotals.previous === 0) return answer([]);
  const stats = await repo.termStats(db, where, current, periodTotals);
  const scored = scoreTerms(stats, periodTotals);
  const combos = await repo.termCombos(
    db,
    where,
    current,
    scored.map((t) => t.term),
  );
  const groups = groupTerms(scored, combos);
  const conditions = {
    where: (q: string) => reportConditions(actor, { ...filter, q }, both),
    whereCurrent,
    current,
  };
  const candidates: Candidate[] = [];
  for (const group of groups.slice(0, THEME_RULES.themesConsidered)) {
    const terms = { all: group.terms.map((t) => t.term), query: queryTerms(group, combos, periodTotals) };
    const candidate = await candidateOf(db, conditions, filter.q, terms, periodTotals);
    if (candidate) candidates.push(candidate);
  }
  candidates.sort(
    (x, y) => y.score - x.score || y.counts.current - x.counts.current || (x.key < y.key ? -1 : 1),
  );

  const themes: Theme[] = [];
  for (const c of candidates) {
    if (themes.length >= LIMITS.topN) break;
    // The same topic twice (one label, or mostly the same insights as a stronger theme) is listed once.
    const repeats = themes.some(
      (t) =>
        t.label.toLowerCase() === c.label.toLowerCase() ||
        overlapShare(combos, c.terms, t.terms) >= THEME_RULES.facetShare,
    );
    if (repeats) continue;
    themes.push({
      key: c.key,
      label: c.label,
      terms: c.terms,
      current: c.counts.current,
      previous: c.counts.previous,
      growth: changeRatio(c.counts.current, c.counts.previous),
      status: c.counts.previous === 0 ? 'new' : 'growing',
      score: Math.round(c.score * 100) / 100,
      explanation: explain(c.counts, periodTotals),
      citations: await citationsOf(
        db,
        reportConditions(actor, { ...filter, q: c.query }, thisPeriod),
        c.query,
      ),
      query: c.query,
    });
  }
  return answer(themes);
}

/** GET /api/v1/themes: the report query → period and filter (400 naming the field), then themesFor in one snapshot. */
export async function emergingThemes(
  deps: { db: Db; now: () => Date },
  ctx: RequestContext,
  query: ReportQuery,
): Promise<Themes> {
  const { actor, now, resolved } = prepareReport(deps, ctx, query);
  return readSnapshot(deps.db, (tx) => themesFor(tx, actor, resolved.filter, resolved.period, now));
}
