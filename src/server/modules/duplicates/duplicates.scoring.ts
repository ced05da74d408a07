import type { Insight } from '../../../contract/api/insights.ts';
import { similarityPercent } from '../../../contract/reporting.ts';
import { INSIGHT_TYPES, labelOf, PRODUCT_AREAS } from '../../../contract/taxonomy.ts';

/**
 * Near-duplicate scoring: pure, deterministic, explainable. No I/O; the SQL in duplicates.repo.ts computes the
 * one number (pg_trgm `similarity(a.text, b.text)`), this module says what it means.
 *
 * The score IS the text similarity: the share of distinct character trigrams the two texts have in common
 * (|A ∩ B| / |A ∪ B|, 0..1, case-insensitive, punctuation ignored). It is robust to typos ("Compas", "documnets")
 * and reordered clauses, the two most common ways one piece of feedback gets written twice. Context (same
 * event, type, company, days apart) is shown as reasons but does not move the score: boosting on it was tried
 * on the labelled fixture (test/fixtures/duplicates.labelled.ts) and lowered precision, because distinct
 * feedback from one conversation shares exactly that context. docs/decisions/0005 has the numbers.
 */

/**
 * Proposed by default at or above this similarity. Measured on the labelled fixture (229 insights, 73 true
 * pairs): 0.35 → precision 0.81 / recall 0.95; 0.40 → 0.88 / 0.86; 0.45 → 0.92 / 0.75. 0.40 keeps precision
 * comfortably above the 0.8 bar with room for wordier real-world paraphrases.
 */
export const DUPLICATE_THRESHOLD = 0.4;

/** The lowest similarity a reviewer may ask for (`minSimilarity`): below it, proposals are mostly noise. */
export const MIN_SIMILARITY = 0.3;

/** Candidates shown for one insight. */
export const CANDIDATES_MAX = 10;

/** Days a pairs window may span (inclusive), and its default length. */
export const PAIRS_WINDOW_MAX_DAYS = 92;
export const PAIRS_WINDOW_DEFAULT_DAYS = 30;

const DAY_MS = 86_400_000;

/** "82 % alike in wording" (similarityPercent: the figure every screen shows). */
export function percentAlike(similarity: number): string {
  return `${similarityPercent(similarity)} % alike in wording`;
}

function companyOf(insight: Insight): string | null {
  const company = insight.developer?.company?.trim().toLowerCase();
  return company ? company : null;
}

function daysApart(a: Insight, b: Insight): string {
  const days = Math.floor(Math.abs(Date.parse(a.capturedAt) - Date.parse(b.capturedAt)) / DAY_MS);
  if (days === 0) return 'captured within a day of each other';
  return `captured ${days} day${days === 1 ? '' : 's'} apart`;
}

/**
 * Why a pair is proposed, in words, strongest first: the wording, then each piece of shared context, then
 * how far apart in time. Deterministic for the same two insights (either order).
 */
export function duplicateReasons(a: Insight, b: Insight, similarity: number): string[] {
  const reasons = [percentAlike(similarity)];
  if (a.event && b.event && a.event.id === b.event.id) reasons.push(`same event (${a.event.name})`);
  if (a.session && b.session && a.session.id === b.session.id)
    reasons.push(`same session (${a.session.title})`);
  if (a.type === b.type) reasons.push(`same type (${labelOf(INSIGHT_TYPES, a.type)})`);
  const sharedAreas = a.productAreas.filter((area) => b.productAreas.includes(area)).sort();
  if (sharedAreas.length > 0)
    reasons.push(
      `same product area${sharedAreas.length > 1 ? 's' : ''} (${sharedAreas.map((id) => labelOf(PRODUCT_AREAS, id)).join(', ')})`,
    );
  const company = companyOf(a);
  if (company && company === companyOf(b))
    reasons.push(`same developer company (${a.developer?.company?.trim()})`);
  reasons.push(
    a.author.id === b.author.id ? `both captured by ${a.author.name}` : 'captured by different people',
  );
  reasons.push(daysApart(a, b));
  return reasons;
}

/** A dismissed or merged pair is stored once, smaller id first (uuid order, as PostgreSQL compares them). */
export function orderedPair(x: string, y: string): [string, string] {
  return x.toLowerCase() < y.toLowerCase() ? [x, y] : [y, x];
}
