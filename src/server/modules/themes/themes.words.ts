import { THEME_RULES } from './themes.algorithm.ts';

/**
 * Emerging themes, the words: a theme's label and the words of its search query, from a bounded sample of
 * PostgreSQL parser tokens, and the query combined with the report's own search. Pure, like themes.algorithm.
 */

/** One token of PostgreSQL's parser (ts_debug): `lexemes` null for blanks, [] for stop words. */
export interface Token {
  ord: number;
  alias: string;
  token: string;
  lexemes: string[] | null;
}

interface Word {
  surface: string;
  stem: string | null;
  /** The separator written before it (' ' or '-'), '' at the start of a run. */
  before: string;
}

/** Compound words (real-time) are followed by their parts; the parts carry the stems we count. */
const COMPOUND = new Set(['asciihword', 'hword', 'numhword']);
/** What a theme's search query may contain: a plain word (no quotes, operators or leading dash). */
const SAFE_WORD = /^[\p{L}\p{N}][\p{L}\p{N}._]*$/u;

/** Runs of words written next to each other (punctuation, line breaks and gaps in the sample break a run). */
function runsOf(tokens: Token[]): Word[][] {
  const runs: Word[][] = [];
  let run: Word[] = [];
  let before = '';
  let lastOrd = Number.NEGATIVE_INFINITY;
  const flush = () => {
    if (run.length > 0) runs.push(run);
    run = [];
    before = '';
  };
  for (const t of tokens) {
    if (t.ord !== lastOrd + 1) flush();
    lastOrd = t.ord;
    if (COMPOUND.has(t.alias)) continue;
    if (t.lexemes === null) {
      if (/^[^\S\n]+$/.test(t.token)) before = ' ';
      else if (t.token === '-') before = '-';
      else flush();
      continue;
    }
    run.push({ surface: t.token, stem: t.lexemes[0] ?? null, before: run.length > 0 ? before || ' ' : '' });
    before = '';
  }
  flush();
  return runs;
}

function mostFrequent(counts: Map<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const entry of counts)
    if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
  return best?.[0];
}

function bump(map: Map<string, Map<string, number>>, key: string, value: string) {
  const inner = map.get(key) ?? new Map<string, number>();
  inner.set(value, (inner.get(value) ?? 0) + 1);
  map.set(key, inner);
}

export interface ThemeWords {
  /** The phrase people wrote most often around the theme's terms. */
  label: string;
  /** Per term, the word people wrote most often for it (its search query word); absent when none is plain. */
  words: Map<string, string>;
}

/**
 * The label phrase (as stems): start from the phrase written in the most insights, then keep extending it to
 * a longer phrase that contains it while that longer one is still written in extendShare of as many insights
 * (and in minPhraseShare of the sample): "latency" → "search latency" → "vector search latency".
 */
function labelPhrase(phraseDocs: Map<string, Set<number>>, sampleSize: number): string {
  const need = Math.max(2, Math.ceil(sampleSize * THEME_RULES.minPhraseShare));
  const byDocs = [...phraseDocs]
    .map(([key, set]) => ({ key, docs: set.size, length: key.split(' ').length }))
    .sort((x, y) => y.docs - x.docs || y.length - x.length || (x.key < y.key ? -1 : 1));
  type Phrase = { key: string; docs: number; length: number };
  let best: Phrase | undefined = byDocs[0];
  if (!best) return '';
  for (;;) {
    const current: Phrase = best;
    const longer: Phrase | undefined = byDocs.find(
      (p) =>
        p.length > current.length &&
        p.docs >= need &&
        p.docs >= current.docs * THEME_RULES.extendShare &&
        ` ${p.key} `.includes(` ${current.key} `),
    );
    if (!longer) return current.key;
    best = longer;
  }
}

/**
 * Label and query words from a sample of a theme's insights (tokens near its terms). Phrases are 1 to
 * maxPhraseWords words in a row, starting and ending with a content word and holding a theme term; the label is
 * labelPhrase's phrase in its most frequent spelling; with none, the most written word of the strongest term.
 */
export function themeWords(terms: string[], docs: Token[][]): ThemeWords {
  const termSet = new Set(terms);
  const phraseDocs = new Map<string, Set<number>>();
  const spellings = new Map<string, Map<string, number>>();
  const wordSpellings = new Map<string, Map<string, number>>();
  docs.forEach((tokens, doc) => {
    for (const run of runsOf(tokens)) {
      for (let i = 0; i < run.length; i += 1) {
        const first = run[i] as Word;
        if (first.stem && termSet.has(first.stem) && SAFE_WORD.test(first.surface))
          bump(wordSpellings, first.stem, first.surface.toLowerCase());
        if (!first.stem) continue;
        let hasTerm = false;
        let surface = '';
        const stems: string[] = [];
        for (let j = i; j < Math.min(run.length, i + THEME_RULES.maxPhraseWords); j += 1) {
          const w = run[j] as Word;
          stems.push(w.stem ?? w.surface.toLowerCase());
          surface += j === i ? w.surface : `${w.before}${w.surface}`;
          if (w.stem && termSet.has(w.stem)) hasTerm = true;
          if (!w.stem || !hasTerm) continue;
          const key = stems.join(' ');
          phraseDocs.set(key, (phraseDocs.get(key) ?? new Set()).add(doc));
          bump(spellings, key, surface);
        }
      }
    }
  });
  const words = new Map<string, string>();
  for (const term of terms) {
    const word = mostFrequent(wordSpellings.get(term) ?? new Map());
    if (word) words.set(term, word);
  }
  const label =
    mostFrequent(spellings.get(labelPhrase(phraseDocs, docs.length)) ?? new Map()) ??
    words.get(terms[0] ?? '') ??
    terms[0] ??
    '';
  return { label, words };
}

/** The theme's own query: its words, any of them (web-search syntax). */
export function themeQuery(words: string[]): string {
  return words.join(' OR ');
}

/** Whitespace-separated words of a web-search query, a "quoted phrase" kept whole (and closed if left open). */
function queryWords(q: string): string[] {
  const words: string[] = [];
  let word = '';
  let quoted = false;
  for (const ch of q) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (word) words.push(word);
      word = '';
    } else word += ch;
  }
  if (word) words.push(quoted ? `${word}"` : word);
  return words;
}

/**
 * The clauses of a web-search query (websearch_to_tsquery): the word OR outside quotes separates them; within
 * a clause every term must match. `a "b or c" OR d` → ['a "b or c"', 'd'].
 */
export function orClauses(q: string): string[] {
  const clauses: string[] = [];
  let current: string[] = [];
  for (const word of queryWords(q)) {
    if (word.toLowerCase() === 'or') {
      if (current.length > 0) clauses.push(current.join(' '));
      current = [];
    } else current.push(word);
  }
  if (current.length > 0) clauses.push(current.join(' '));
  return clauses;
}

/**
 * The `q` that lists a theme's insights within the report's own search: (user q) AND (any theme word), written
 * as OR-ed clauses because web-search syntax has no parentheses: (a OR b) AND (x OR y) = a x OR a y OR b x OR
 * b y. Without a user q it is the theme query itself.
 */
export function combinedQuery(userQ: string | undefined, words: string[]): string {
  if (!userQ) return themeQuery(words);
  const clauses = orClauses(userQ);
  if (clauses.length === 0) return themeQuery(words);
  return clauses.flatMap((clause) => words.map((w) => `${clause} ${w}`)).join(' OR ');
}
