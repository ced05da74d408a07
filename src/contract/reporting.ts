/**
 * Reporting vocabulary shared by the server, the admin app and exports, without zod (so any bundle may import
 * it). Every metric built from these is defined in docs/reporting.md; change both together.
 */

/** Where an insight came from. */
export const INSIGHT_SOURCES = ['capture', 'voice', 'seed', 'form'] as const;
/** Where an insight came from, in words (filters, report controls, exports). */
export const INSIGHT_SOURCE_LABEL: Record<(typeof INSIGHT_SOURCES)[number], string> = {
  capture: 'Typed in the capture app',
  voice: 'Voice',
  seed: 'Demo data',
  form: 'Public feedback form',
};

/** The follow-up workflow. An insight flagged for follow-up (`followUp: true`) has one of these statuses. */
export const FOLLOW_UP_STATUSES = ['open', 'in_progress', 'done', 'wont_do'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const FOLLOW_UP_STATUS_LABELS: Record<FollowUpStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  wont_do: "Won't do",
};

/** Where a linked follow-up issue lives, derived from its URL's host. */
export const ISSUE_KINDS = ['jira', 'github', 'other'] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

export function issueKindOf(url: string): IssueKind {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return 'other';
  }
  if (host === 'github.com' || host.endsWith('.github.com') || host.startsWith('github.')) return 'github';
  if (host.endsWith('.atlassian.net') || host.startsWith('jira.') || host.includes('.jira.')) return 'jira';
  return 'other';
}

/** List order: newest captured first, or (with a search query) best match first. */
export const INSIGHT_SORTS = ['newest', 'oldest', 'relevance'] as const;
export type InsightSort = (typeof INSIGHT_SORTS)[number];

/**
 * Reporting periods. Rolling: the last 7/30/90 days ending today. Calendar: the ISO week (Monday first),
 * month or quarter containing `at` (default today). Custom: `from`..`to` inclusive. All days are UTC.
 */
export const REPORT_PERIODS = ['last7', 'last30', 'last90', 'week', 'month', 'quarter', 'custom'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
export const REPORT_PERIOD_LABELS: Record<ReportPeriod, string> = {
  last7: 'Last 7 days',
  last30: 'Last 30 days',
  last90: 'Last 90 days',
  week: 'Week',
  month: 'Month',
  quarter: 'Quarter',
  custom: 'Custom',
};
/** The longest custom period (a year and a day covers a leap year's worth of daily points). */
export const MAX_PERIOD_DAYS = 366;
/** The dashboard's trend always spans this many days, ending on the period's last day. */
export const TREND_DAYS = 90;

export interface PeriodInput {
  period: ReportPeriod;
  /** YYYY-MM-DD: a day inside the calendar period (week, month, quarter); default today. */
  at?: string | undefined;
  /** YYYY-MM-DD, inclusive (custom). */
  from?: string | undefined;
  to?: string | undefined;
}

/** A resolved period: inclusive UTC days, and the period of the same length right before it. */
export interface ResolvedPeriod {
  period: ReportPeriod;
  from: string;
  to: string;
  days: number;
  previousFrom: string;
  previousTo: string;
  label: string;
}

const DAY_MS = 86_400_000;

function dayOf(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function calendarRange(period: 'week' | 'month' | 'quarter', at: number): [number, number, string] {
  const d = new Date(at);
  const year = d.getUTCFullYear();
  if (period === 'week') {
    const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
    const start = at - weekday * DAY_MS;
    return [start, start + 6 * DAY_MS, `Week of ${isoDay(start)}`];
  }
  if (period === 'month') {
    const month = d.getUTCMonth();
    const start = Date.UTC(year, month, 1);
    const end = Date.UTC(year, month + 1, 1) - DAY_MS;
    return [start, end, `${MONTHS[month]} ${year}`];
  }
  const quarter = Math.floor(d.getUTCMonth() / 3);
  const start = Date.UTC(year, quarter * 3, 1);
  const end = Date.UTC(year, quarter * 3 + 3, 1) - DAY_MS;
  return [start, end, `Q${quarter + 1} ${year}`];
}

/**
 * Turns a period choice into inclusive days. `today` is the server's UTC day (YYYY-MM-DD). Custom periods
 * need both ends, `from` ≤ `to`, at most MAX_PERIOD_DAYS; the caller validated the date formats.
 * Throws a RangeError naming the field when the input cannot make a period.
 */
export function resolvePeriod(input: PeriodInput, today: string): ResolvedPeriod {
  const todayMs = dayOf(today);
  let start: number;
  let end: number;
  let label: string;
  if (input.period === 'custom') {
    if (!input.from) throw new PeriodError('from', 'is required for a custom period');
    if (!input.to) throw new PeriodError('to', 'is required for a custom period');
    start = dayOf(input.from);
    end = dayOf(input.to);
    if (end < start) throw new PeriodError('to', 'must not be before from');
    if ((end - start) / DAY_MS + 1 > MAX_PERIOD_DAYS)
      throw new PeriodError('to', `must be at most ${MAX_PERIOD_DAYS} days after from`);
    label = `${input.from} to ${input.to}`;
  } else if (input.period === 'last7' || input.period === 'last30' || input.period === 'last90') {
    const days = input.period === 'last7' ? 7 : input.period === 'last30' ? 30 : 90;
    end = todayMs;
    start = todayMs - (days - 1) * DAY_MS;
    label = `Last ${days} days`;
  } else {
    [start, end, label] = calendarRange(input.period, input.at ? dayOf(input.at) : todayMs);
  }
  const days = Math.round((end - start) / DAY_MS) + 1;
  return {
    period: input.period,
    from: isoDay(start),
    to: isoDay(end),
    days,
    previousFrom: isoDay(start - days * DAY_MS),
    previousTo: isoDay(start - DAY_MS),
    label,
  };
}

export class PeriodError extends RangeError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field} ${message}`);
    this.name = 'PeriodError';
    this.field = field;
  }
}

/** Change against the previous period as a ratio (0.25 = +25 %); null when the previous period had none. */
export function changeRatio(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return (current - previous) / previous;
}

/**
 * The leaderboard's impact score (REFERENCE §2, kept as the program defined it): every insight counts 1, and
 * an insight earns more for what it is. One insight can earn several bonuses (a critical bug report: 1 + 3 +
 * 1.5). Merged duplicates count once, for the primary's author.
 */
export const IMPACT_WEIGHTS = {
  insight: 1,
  critical: 3,
  high: 2,
  featureRequest: 1.5,
  bugReport: 1.5,
  useCase: 2,
} as const;

export interface ImpactCounts {
  insights: number;
  critical: number;
  high: number;
  featureRequests: number;
  bugReports: number;
  useCases: number;
}

export function impactScore(c: ImpactCounts): number {
  const w = IMPACT_WEIGHTS;
  return (
    c.insights * w.insight +
    c.critical * w.critical +
    c.high * w.high +
    c.featureRequests * w.featureRequest +
    c.bugReports * w.bugReport +
    c.useCases * w.useCase
  );
}

/** The one-line explanation shown next to the leaderboard and in exports. */
export const IMPACT_FORMULA =
  'score = 1 × insights + 3 × critical + 2 × high priority + 1.5 × feature requests + 1.5 × bug reports + 2 × use cases';

/** A search snippet: text segments, `match` marking the highlighted words (rendered as text, never as HTML). */
export interface SnippetSegment {
  text: string;
  match: boolean;
}

/**
 * A duplicate similarity (0..1) as a whole percentage, rounded down so 0.399 never reads as the 40 % it did not
 * reach; the same figure on every screen and in the server's reasons.
 */
export function similarityPercent(similarity: number): number {
  return Math.floor(similarity * 100);
}
