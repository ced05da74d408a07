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
  /** A photo as uploaded (the app downscales to ≤ 1600 px JPEG first, typically 200–500 KB). */
  photoBytes: 3 * 1024 * 1024,
  /** A voice recording (about ten minutes of Opus at 32 kbit/s). */
  audioBytes: 8 * 1024 * 1024,
  /** Longest recording the app offers. */
  audioSeconds: 300,
  attachmentsPerInsight: 10,
  noteBody: 2_000,
  bugDescription: 4_000,
  bugScreenshotBytes: 2 * 1024 * 1024,
  bugDeviceFields: 20,
  bugDeviceValue: 300,
  telemetryBatchMax: 200,
  telemetryAttrs: 8,
  telemetryAttrValue: 100,
  appVersion: 64,
  /** Full-text search query. */
  searchQuery: 200,
  teamName: 100,
  /** Tags in one list filter (all must match). */
  filterTags: 10,
  /** Insights in one bulk retag / reclassify. */
  bulkMax: 200,
  issueUrl: 500,
  /** People @mentioned in one note. */
  mentionsPerNote: 10,
  savedViewName: 80,
  savedViewsPerPerson: 50,
  /** Insights merged into one primary in a single request. */
  mergeMax: 20,
  /** Citations per theme (quotes behind it). */
  themeCitations: 5,
  /** Rows in top-N lists (events, contributors, critical items, themes). */
  topN: 10,
  /** Rows in one export (a larger export is refused with a hint to narrow the filter). */
  exportRowsMax: 200_000,
  eventName: 200,
  eventQuarter: 20,
  eventText: 300,
  eventUrl: 500,
  eventTechStack: 20,
  eventAssignments: 50,
  sessionNotes: 4_000,
  /** A PMO spreadsheet as uploaded (CSV text). */
  importBytes: 5 * 1024 * 1024,
  importRows: 20_000,
  importColumns: 60,
  importHeader: 120,
  /** Rows of an import preview per page. */
  importPreviewRows: 200,
  formTitle: 120,
  formDescription: 1_000,
  formConsent: 1_000,
  formQuestions: 20,
  formQuestionLabel: 200,
  formChoices: 20,
  formChoice: 100,
  formAnswer: 2_000,
  formSlug: 60,
  formResponseCapMax: 100_000,
} as const;
