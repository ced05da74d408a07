/**
 * Product-analytics vocabulary without zod (the capture app imports the client header; zod would not fit its
 * bundle). The API contract (contract/api/analytics.ts) builds its schemas from these lists. Definitions:
 * docs/analytics.md, "Product analytics"; they are kept stable: a new meaning is a new name, never a changed one.
 */

export const ANALYTICS_GRANULARITIES = ['day', 'week'] as const;
export type AnalyticsGranularity = (typeof ANALYTICS_GRANULARITIES)[number];

/** The org slice active users are broken down by (besides role, which is always given). */
export const ANALYTICS_SLICES = ['role', 'department', 'team'] as const;
export type AnalyticsSlice = (typeof ANALYTICS_SLICES)[number];

/** Where a person used the product on a day: the capture app, the admin app, or the API with a token. */
export const USAGE_SURFACES = ['capture', 'admin', 'api'] as const;
export type UsageSurface = (typeof USAGE_SURFACES)[number];

/** The header the capture app sends with every API call it makes (its outbox sync and its screens). */
export const CLIENT_HEADER = 'x-bi-client';
export const CAPTURE_CLIENT = 'capture';

/** Reporting views a page announces once per visit (POST /api/v1/analytics/views). */
export const VIEW_SURFACES = [
  'dashboard',
  'executive_report',
  'leaderboard',
  'themes',
  'saved_view',
] as const;
export type ViewSurface = (typeof VIEW_SURFACES)[number];

export const VIEW_SURFACE_LABEL: Record<ViewSurface, string> = {
  dashboard: 'Dashboard',
  executive_report: 'Executive report',
  leaderboard: 'Leaderboard',
  themes: 'Themes',
  saved_view: 'Saved view opened',
};

/** Files recorded where they are produced (the exports module), with their format. */
export const EXPORT_SURFACES = ['insights_csv', 'executive_csv', 'executive_pdf'] as const;
export type ExportSurface = (typeof EXPORT_SURFACES)[number];

export const EXPORT_FORMAT: Record<ExportSurface, 'csv' | 'pdf'> = {
  insights_csv: 'csv',
  executive_csv: 'csv',
  executive_pdf: 'pdf',
};

export const EXPORT_SURFACE_LABEL: Record<ExportSurface, string> = {
  insights_csv: 'Insights (CSV)',
  executive_csv: 'Executive report (CSV)',
  executive_pdf: 'Executive report (PDF)',
};

/** The longest range one request may ask for, and the default (the last 28 days, today included). */
export const ANALYTICS_MAX_DAYS = 366;
export const ANALYTICS_DEFAULT_DAYS = 28;
/** usage_days and usage_events older than this are deleted by the cleanup job. */
export const USAGE_RETENTION_DAYS = 400;
/** Captures by event: the events with the most captures in the range; the rest are summed as "Other events". */
export const CAPTURE_EVENTS_SHOWN = 20;
