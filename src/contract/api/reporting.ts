import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { IMPACT_WEIGHTS, MAX_PERIOD_DAYS, REPORT_PERIODS } from '../reporting.ts';
import { CountRow, IsoDate, IsoDateTime, refuseControlCharacters, Uuid } from './common.ts';
import {
  InsightFilterShape,
  InsightTypeSchema,
  PrioritySchema,
  ProductAreaSchema,
  SentimentSchema,
  SnippetSegmentSchema,
} from './insights.ts';

export { MAX_PERIOD_DAYS };

/**
 * Every report takes the insight filter plus a period. The period replaces the filter's date range: `from` and
 * `to` are only accepted with period=custom (then both are required). See resolvePeriod in contract/reporting.
 */
export const ReportQueryShape = {
  ...InsightFilterShape,
  period: z.enum(REPORT_PERIODS).default('last30'),
  at: IsoDate.optional().describe('A day inside the week, month or quarter to report (default today)'),
};
export const ReportQuery = refuseControlCharacters(z.strictObject(ReportQueryShape));
export type ReportQuery = z.output<typeof ReportQuery>;
export type ReportQueryInput = z.input<typeof ReportQuery>;

export const PeriodInfo = z.object({
  period: z.enum(REPORT_PERIODS),
  from: IsoDate,
  to: IsoDate,
  days: z.number().int(),
  previousFrom: IsoDate.describe('The period of the same length right before'),
  previousTo: IsoDate,
  label: z.string(),
});
export type PeriodInfo = z.infer<typeof PeriodInfo>;

export const METRIC_KEYS = [
  'insights',
  'critical',
  'negative',
  'feature_requests',
  'contributors',
  'events',
  'follow_ups_open',
] as const;

export const MetricCard = z.object({
  key: z.enum(METRIC_KEYS),
  label: z.string(),
  value: z.number().int(),
  previous: z.number().int().describe('The same metric over the previous period'),
  change: z.number().nullable().describe('(value - previous) / previous; null when previous is 0'),
});
export type MetricCard = z.infer<typeof MetricCard>;

export const TrendPoint = z.object({
  date: IsoDate,
  total: z.number().int(),
  positive: z.number().int(),
  neutral: z.number().int(),
  negative: z.number().int(),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

/** A short form of an insight for top lists, critical items and citations. */
export const InsightRef = z.object({
  id: Uuid,
  title: z.string().nullable(),
  excerpt: z.string().describe('The first 280 characters of the text'),
  type: InsightTypeSchema,
  sentiment: SentimentSchema,
  priority: PrioritySchema,
  productAreas: z.array(ProductAreaSchema),
  author: z.object({ id: Uuid, name: z.string() }),
  event: z.object({ id: Uuid, name: z.string() }).nullable(),
  capturedAt: IsoDateTime,
});
export type InsightRef = z.infer<typeof InsightRef>;

export const NamedCount = z.object({ id: Uuid, name: z.string(), count: z.number().int() });
export type NamedCount = z.infer<typeof NamedCount>;

export const EventCoverage = z.object({
  event: z.object({ id: Uuid, name: z.string(), startsOn: IsoDate.nullable(), endsOn: IsoDate.nullable() }),
  insights: z.number().int(),
  contributors: z.number().int().describe('Distinct authors who captured at the event'),
  sessions: z.number().int().describe('Sessions the event has'),
  sessionsCovered: z.number().int().describe('Sessions with at least one insight'),
});
export type EventCoverage = z.infer<typeof EventCoverage>;

export const Distributions = z.object({
  byType: z.array(CountRow),
  bySentiment: z.array(CountRow),
  byPriority: z.array(CountRow),
  byProductArea: z.array(CountRow).describe('An insight with several areas counts once in each'),
});

export const Dashboard = z.object({
  scopeLabel: z.string(),
  period: PeriodInfo,
  cards: z.array(MetricCard).describe('In METRIC_KEYS order'),
  trend: z.array(TrendPoint).describe('TREND_DAYS daily points ending on period.to, zero days included'),
  distributions: Distributions,
  topEvents: z.array(NamedCount),
  topContributors: z.array(NamedCount.extend({ team: z.string().nullable() })),
  critical: z.array(InsightRef).describe('Newest critical-priority insights in the period'),
  coverage: z.array(EventCoverage).describe('Events with insights in the period, most insights first'),
  taxonomyVersion: z.string(),
  generatedAt: IsoDateTime,
});
export type Dashboard = z.infer<typeof Dashboard>;

export const LeaderboardQuery = refuseControlCharacters(
  z.strictObject({
    ...ReportQueryShape,
    limit: z.coerce.number().int().min(1).max(500).default(50),
  }),
);

export const LeaderboardRow = z.object({
  rank: z.number().int().describe('Equal scores share a rank'),
  person: z.object({ id: Uuid, name: z.string(), team: z.string().nullable() }),
  score: z.number(),
  insights: z.number().int(),
  critical: z.number().int(),
  high: z.number().int(),
  featureRequests: z.number().int(),
  bugReports: z.number().int(),
  useCases: z.number().int(),
});
export type LeaderboardRow = z.infer<typeof LeaderboardRow>;

export const Leaderboard = z.object({
  scopeLabel: z.string(),
  period: PeriodInfo,
  formula: z.string(),
  weights: z.object(Object.fromEntries(Object.keys(IMPACT_WEIGHTS).map((k) => [k, z.number()]))),
  rows: z.array(LeaderboardRow).describe('Highest score first; ties by insights, then name'),
  totalContributors: z.number().int().describe('Everyone with a score; rows holds the first `limit`'),
  generatedAt: IsoDateTime,
});
export type Leaderboard = z.infer<typeof Leaderboard>;

export const ThemeCitation = z.object({
  insightId: Uuid,
  quote: z.array(SnippetSegmentSchema).describe('The passage that mentions the theme, its words marked'),
  author: z.object({ id: Uuid, name: z.string() }),
  event: z.object({ id: Uuid, name: z.string() }).nullable(),
  capturedAt: IsoDateTime,
});
export type ThemeCitation = z.infer<typeof ThemeCitation>;

export const Theme = z.object({
  key: z.string().describe('Stable id of the theme within a result (its stemmed terms)'),
  label: z.string().describe('The phrase as people wrote it most often'),
  terms: z.array(z.string()).describe('Stemmed terms that make up the theme'),
  current: z.number().int().describe('Insights mentioning it in the period'),
  previous: z.number().int().describe('…in the previous period'),
  growth: z.number().nullable().describe('(current - previous) / previous; null when new'),
  status: z.enum(['new', 'growing']),
  score: z.number().describe('The ranking score; see explanation'),
  explanation: z.string().describe('Why it is listed, in words'),
  citations: z.array(ThemeCitation).max(LIMITS.themeCitations),
  query: z.string().describe('The q filter that lists exactly the insights behind it'),
});
export type Theme = z.infer<typeof Theme>;

export const Themes = z.object({
  scopeLabel: z.string(),
  period: PeriodInfo,
  method: z.string().describe('How themes are found, in words'),
  insightsConsidered: z.number().int(),
  themes: z.array(Theme),
  generatedAt: IsoDateTime,
});
export type Themes = z.infer<typeof Themes>;

export const NarrativeParagraph = z.object({
  heading: z.string(),
  text: z.string().describe('Plain text; every number in it is also in the report data'),
});

export const ExecutiveReport = z.object({
  title: z.string(),
  scopeLabel: z.string(),
  period: PeriodInfo,
  filters: z.record(z.string(), z.string()).describe('The filter the report was built with, as given'),
  cards: z.array(MetricCard),
  narrative: z.array(NarrativeParagraph),
  themes: z.array(Theme),
  critical: z.array(InsightRef),
  distributions: Distributions,
  topEvents: z.array(NamedCount),
  summaryAvailable: z.boolean().describe('An LLM summary provider is configured'),
  taxonomyVersion: z.string(),
  generatedAt: IsoDateTime,
});
export type ExecutiveReport = z.infer<typeof ExecutiveReport>;

export const ExecutiveSummary = z.object({
  text: z.string(),
  model: z.string(),
  generatedAt: IsoDateTime,
  disclaimer: z.string().describe('Generated text; the numbers of record are in the report'),
});
export type ExecutiveSummary = z.infer<typeof ExecutiveSummary>;

export const EXPORT_FORMATS = ['csv', 'pdf'] as const;
