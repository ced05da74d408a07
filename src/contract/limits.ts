/** Every input is bounded. One place for the bounds, shared by server validation and web forms. */
export const LIMITS = {
  bodyBytes: 1_048_576,
  insightText: 5_000,
  insightTitle: 200,
  productAreasPerInsight: 8,
  tagsPerInsight: 20,
  tag: 50,
  developerField: 200,
  pageSizeDefault: 25,
  pageSizeMax: 100,
  cursor: 200,
  returnTo: 512,
  /** How far in the future a client clock may place captured_at (clock skew on phones). */
  capturedAtFutureSkewMs: 5 * 60 * 1000,
  /** How old an offline capture may be when it finally syncs. */
  capturedAtMaxAgeDays: 366,
  /** Items in one offline-sync batch (POST /api/v1/insights/batch). */
  syncBatchMax: 100,
} as const;
