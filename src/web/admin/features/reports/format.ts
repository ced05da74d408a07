import type { MetricCard, PeriodInfo } from '../../../../contract/api/reporting.ts';
import { IMPACT_WEIGHTS } from '../../../../contract/reporting.ts';

/** Display text for reporting numbers, pure (unit-tested): changes, scores, periods, the impact formula. */

export type ChangeTone = 'up' | 'down' | 'flat' | 'new' | 'none';

export interface ChangeText {
  /** ▲, ▼ or nothing (screen readers get `spoken`). */
  arrow: '▲' | '▼' | '';
  /** "+25%", "−40%", "new", "no change", "–". */
  text: string;
  tone: ChangeTone;
  /** The whole change in words: "up 25% from 8 in the previous period". */
  spoken: string;
}

const percent = (ratio: number) => {
  const value = Math.abs(ratio) * 100;
  // 0.4% is not "0%": one decimal below 10%, whole numbers above.
  const digits = value < 10 && value !== Math.round(value) ? 1 : 0;
  return `${value.toFixed(digits)}%`;
};

/**
 * Period-over-period change of a number. `change` is the server's (value - previous) / previous, null when
 * the previous period had none: then it is "new" (something now) or "–" (nothing in either).
 */
export function formatChange(value: number, previous: number, change: number | null): ChangeText {
  if (change === null || previous === 0) {
    if (value === 0) return { arrow: '', text: '–', tone: 'none', spoken: 'none in either period' };
    return { arrow: '', text: 'new', tone: 'new', spoken: 'new: none in the previous period' };
  }
  if (change === 0 || value === previous) {
    return { arrow: '', text: 'no change', tone: 'flat', spoken: `no change from ${previous}` };
  }
  const up = change > 0;
  const text = `${up ? '+' : '−'}${percent(change)}`;
  return {
    arrow: up ? '▲' : '▼',
    text,
    tone: up ? 'up' : 'down',
    spoken: `${up ? 'up' : 'down'} ${percent(change)} from ${previous} in the previous period`,
  };
}

export const cardChange = (card: MetricCard) => formatChange(card.value, card.previous, card.change);

/** Metrics where more is a warning rather than good news (shown in the warning colour when they grow). */
const MORE_IS_WORSE = new Set<MetricCard['key']>(['critical', 'negative', 'follow_ups_open']);

/** "good", "bad" or "neutral": how to colour a change of this metric. */
export function changeSentiment(key: MetricCard['key'], tone: ChangeTone): 'good' | 'bad' | 'neutral' {
  if (tone !== 'up' && tone !== 'down' && tone !== 'new') return 'neutral';
  const grew = tone !== 'down';
  return grew === MORE_IS_WORSE.has(key) ? 'bad' : 'good';
}

/** A score as the formula makes it: whole or with its half point (12, 13.5). */
export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

const dayFormat = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "Nov 1, 2026 – Nov 30, 2026" (or one day) for inclusive UTC days. */
export function dayRange(from: string, to: string): string {
  const a = dayFormat.format(new Date(`${from}T00:00:00Z`));
  if (from === to) return a;
  return `${a} – ${dayFormat.format(new Date(`${to}T00:00:00Z`))}`;
}

/** "Nov 2026 (Nov 1, 2026 – Nov 30, 2026), compared with Oct 2, 2026 – Oct 31, 2026". */
export function periodSentence(
  period: Pick<PeriodInfo, 'label' | 'from' | 'to' | 'previousFrom' | 'previousTo'>,
) {
  const days = dayRange(period.from, period.to);
  const head = period.label === `${period.from} to ${period.to}` ? days : `${period.label} (${days})`;
  return `${head}, compared with ${dayRange(period.previousFrom, period.previousTo)}`;
}

type Weights = Record<keyof typeof IMPACT_WEIGHTS, number>;

const points = (n: number) => `${formatScore(n)} ${n === 1 ? 'point' : 'points'}`;

/**
 * The impact formula in words, from the weights the server used (falls back to the documented ones for any
 * it did not send): what each insight earns, and that one insight can earn several bonuses.
 */
export function formulaInWords(weights: Partial<Record<string, number>> = {}): string[] {
  const w: Weights = { ...IMPACT_WEIGHTS };
  for (const key of Object.keys(IMPACT_WEIGHTS) as (keyof Weights)[]) {
    const value = weights[key];
    if (typeof value === 'number') w[key] = value;
  }
  return [
    `Every insight captured in the period earns ${points(w.insight)}.`,
    `On top of that, a critical-priority insight earns ${points(w.critical)} more and a high-priority one ${points(w.high)} more.`,
    `By type, a feature request earns ${points(w.featureRequest)} more, a bug report ${points(w.bugReport)} more and a use case ${points(w.useCase)} more.`,
    `One insight can earn a priority and a type bonus: a critical bug report scores ${formatScore(w.insight + w.critical + w.bugReport)}.`,
    'A merged duplicate counts once, for the author of the insight it was merged into.',
  ];
}
