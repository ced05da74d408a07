/**
 * Emerging themes, the pure part: scoring and grouping (themes.words.ts: labels and queries). No I/O: the
 * repo feeds it aggregate counts, so every rule here is unit-testable and the same input always gives the
 * same themes. docs/decisions/0005-duplicates-and-themes.md explains the choices.
 */

/** The rules, in one place (the method text and the decision record quote them). */
export const THEME_RULES = {
  /** A theme needs at least this many insights in the period… */
  minInsights: 3,
  /** …by at least this many people (one chatty advocate cannot make a theme). */
  minAuthors: 2,
  /** The share of insights mentioning it must at least double (add-½ smoothed, so 0 → 1 is not infinite). */
  minShareRatio: 2,
  /**
   * Dunning's log-likelihood G² of the rise: 6.63 is p < 0.01 for one degree of freedom (stricter than 0.05
   * because thousands of stems are tested at once; chance risers stay out).
   */
  minLogLikelihood: 6.63,
  /** Terms that go on to grouping (the strongest by G²). */
  candidateTerms: 40,
  /** Two terms are one theme when their insight sets overlap this much (Jaccard, this period). */
  groupJaccard: 0.5,
  /** A term whose insights lie mostly (this share) inside a stronger theme's seed term is a facet of it. */
  facetShare: 0.8,
  maxTermsPerTheme: 4,
  /** Themes that get labels and exact counts (the strongest groups); the answer keeps LIMITS.topN of them. */
  themesConsidered: 16,
  /** Label sample: newest insights of a theme, characters of each text, tokens either side of a hit. */
  sampleInsights: 12,
  sampleChars: 600,
  sampleWindow: 8,
  /** Label phrases: at most this many words, and a phrase must be written in this share of the sample… */
  maxPhraseWords: 4,
  minPhraseShare: 0.3,
  /** …and a longer label replaces a shorter one it contains when written in this share as many insights. */
  extendShare: 0.6,
} as const;

/** The whole algorithm in two sentences (the answer's `method`). */
export const THEMES_METHOD =
  'Word stems of titles, texts and tags are counted per insight in this period and in the previous one of the ' +
  `same length; a stem is a candidate when at least ${THEME_RULES.minInsights} insights by at least ` +
  `${THEME_RULES.minAuthors} people mention it, its share of insights at least doubled and the rise is ` +
  `significant (log-likelihood G² ≥ ${THEME_RULES.minLogLikelihood}, p < 0.01), so words common in both ` +
  'periods never qualify. Candidates mentioned in mostly the same insights form one theme, labelled with the ' +
  'phrase people wrote most often around them, and its counts, citations and link come from one full-text ' +
  'query, so the list behind a theme is exactly the insights counted.';

export interface Totals {
  current: number;
  previous: number;
}

/** How many insights mention a term (or a theme) in each period, and by how many people in this one. */
export interface Counts {
  current: number;
  previous: number;
  authors: number;
}

export interface TermStat extends Counts {
  term: string;
}

export interface ScoredTerm extends TermStat {
  score: number;
}

/** Dunning's G² for the rise of a term's share from the previous period to this one; 0 when it did not rise. */
export function logLikelihood(c: Totals, t: Totals): number {
  const { current: a, previous: b } = c;
  const { current: n1, previous: n0 } = t;
  if (n1 === 0 || n0 === 0 || a === 0 || a / n1 <= b / n0) return 0;
  const e1 = (n1 * (a + b)) / (n1 + n0);
  const e2 = (n0 * (a + b)) / (n1 + n0);
  const g = 2 * (a * Math.log(a / e1) + (b > 0 ? b * Math.log(b / e2) : 0));
  return Math.max(0, g);
}

/** This period's share of insights over the previous one's, add-½ smoothed. */
export function shareRatio(c: Totals, t: Totals): number {
  return (c.current + 0.5) / (t.current + 1) / ((c.previous + 0.5) / (t.previous + 1));
}

/** Whether counts make an emerging theme: support, people, a doubled share, a significant rise. */
export function emerging(c: Counts, t: Totals): boolean {
  return (
    c.current >= THEME_RULES.minInsights &&
    c.authors >= THEME_RULES.minAuthors &&
    shareRatio(c, t) >= THEME_RULES.minShareRatio &&
    logLikelihood(c, t) >= THEME_RULES.minLogLikelihood
  );
}

/**
 * Words of field notes themselves (English stems), not topics: "the customer wants", "asked whether", "would
 * like". PostgreSQL's English stop words are already gone; these are the reporting voice on top of them.
 */
export const FIELD_NOTE_STEMS = new Set(
  (
    'also ask attende client come could custom develop feedback feel get go good great help like lot make mani ' +
    'mention much need nice one peopl question realli request said say still team thing think use user want way ' +
    'wish would'
  ).split(' '),
);

/** Stems worth a theme: two characters and a letter at least (no bare numbers), not field-note wording. */
export function usefulTerm(term: string): boolean {
  return term.length >= 2 && /\p{L}/u.test(term) && !FIELD_NOTE_STEMS.has(term);
}

/** The emerging terms, strongest first (ties by more insights, then alphabetically: deterministic). */
export function scoreTerms(stats: TermStat[], totals: Totals): ScoredTerm[] {
  return stats
    .filter((s) => usefulTerm(s.term) && emerging(s, totals))
    .map((s) => ({ ...s, score: logLikelihood(s, totals) }))
    .sort((x, y) => y.score - x.score || y.current - x.current || (x.term < y.term ? -1 : 1))
    .slice(0, THEME_RULES.candidateTerms);
}

/**
 * Which candidate stems insights mention together: one row per distinct combination (sorted stems), with how
 * many insights of each period mention exactly that combination. Unions and overlaps of any set of candidates
 * follow from these rows without reading an insight again.
 */
export interface Combo {
  terms: string[];
  current: number;
  previous: number;
}

/** Insights of this period mentioning both a and b. */
function together(combos: Combo[], a: string, b: string): number {
  let n = 0;
  for (const c of combos) if (c.terms.includes(a) && c.terms.includes(b)) n += c.current;
  return n;
}

/** Insights mentioning any of the terms, per period. */
export function unionCounts(combos: Combo[], terms: string[]): Totals {
  const u = { current: 0, previous: 0 };
  for (const c of combos)
    if (c.terms.some((t) => terms.includes(t))) {
      u.current += c.current;
      u.previous += c.previous;
    }
  return u;
}

/** The share of `a`'s insights this period (any of its terms) that also mention any of `b`'s terms. */
export function overlapShare(combos: Combo[], a: string[], b: string[]): number {
  let inA = 0;
  let inBoth = 0;
  for (const c of combos)
    if (c.terms.some((t) => a.includes(t))) {
      inA += c.current;
      if (c.terms.some((t) => b.includes(t))) inBoth += c.current;
    }
  return inA === 0 ? 0 : inBoth / inA;
}

export interface TermGroup {
  /** The seed (strongest term) first. */
  terms: ScoredTerm[];
}

/**
 * Greedy grouping, strongest term first: a term joins the theme whose seed shares most of its insights
 * (Jaccard ≥ groupJaccard); a term mostly inside a theme's seed (facetShare of its own insights) is a facet of
 * that theme and is dropped rather than listed twice; anything else seeds a new theme.
 */
export function groupTerms(terms: ScoredTerm[], combos: Combo[]): TermGroup[] {
  const groups: TermGroup[] = [];
  for (const term of terms) {
    let best: { group: TermGroup; jaccard: number } | null = null;
    let facet = false;
    for (const group of groups) {
      const seed = group.terms[0] as ScoredTerm;
      const both = together(combos, seed.term, term.term);
      const jaccard = both / (seed.current + term.current - both);
      if (jaccard >= THEME_RULES.groupJaccard && (!best || jaccard > best.jaccard)) best = { group, jaccard };
      if (both / term.current >= THEME_RULES.facetShare) facet = true;
    }
    if (best && best.group.terms.length < THEME_RULES.maxTermsPerTheme) best.group.terms.push(term);
    else if (!best && !facet) groups.push({ terms: [term] });
  }
  return groups;
}

/**
 * The stems a theme's query uses: the seed, plus each grouped stem that does not weaken the theme (the
 * union's G² stays at least as high). A grouped word with its own background ("latency" also said about
 * sharding in both periods) still shapes the label but stays out of the query, so it does not pull unrelated
 * insights into the theme.
 */
export function queryTerms(group: TermGroup, combos: Combo[], totals: Totals): string[] {
  const [seed, ...rest] = group.terms.map((t) => t.term);
  if (!seed) return [];
  const chosen = [seed];
  let strength = logLikelihood(unionCounts(combos, chosen), totals);
  for (const term of rest) {
    const next = logLikelihood(unionCounts(combos, [...chosen, term]), totals);
    if (next >= strength) {
      chosen.push(term);
      strength = next;
    }
  }
  return chosen;
}

const percent = (part: number, whole: number) =>
  whole === 0 ? '0 %' : `${Math.round((part / whole) * 1000) / 10} %`;
const insightsWord = (n: number) => (n === 1 ? '1 insight' : `${n} insights`);
const peopleWord = (n: number) => (n === 1 ? '1 person' : `${n} people`);

/** Why a theme is listed, in words, with the numbers the answer carries. */
export function explain(c: Counts, t: Totals): string {
  const before = c.previous === 0 ? 'none in the previous period' : `${c.previous} in the previous period`;
  return (
    `Mentioned in ${insightsWord(c.current)} by ${peopleWord(c.authors)} this period vs ${before}; ` +
    `its share of insights went from ${percent(c.previous, t.previous)} to ${percent(c.current, t.current)} ` +
    `(log-likelihood ${Math.round(logLikelihood(c, t) * 10) / 10}).`
  );
}
