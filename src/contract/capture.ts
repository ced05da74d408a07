/**
 * Capture vocabulary without zod: the capture app and its service worker import these values, and zod (about
 * 26 KB gzip) would not fit the capture bundle's budget. The API contracts (contract/api/*) build their schemas
 * from the same lists, so server and app can never disagree.
 */

/** The fields of an insight an edit may change (PATCH /api/v1/insights/:id). */
export const INSIGHT_EDITABLE_FIELDS = [
  'text',
  'title',
  'type',
  'productAreas',
  'sentiment',
  'priority',
  'tags',
  'developer',
  'followUp',
  'eventId',
  'sessionId',
] as const;
export type InsightEditableField = (typeof INSIGHT_EDITABLE_FIELDS)[number];

/** Team reactions on an insight (one of each kind per person). */
export const REACTION_KINDS = ['like', 'love', 'insightful', 'celebrate', 'fire'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];
export const REACTION_TEXT: Record<ReactionKind, { emoji: string; label: string }> = {
  like: { emoji: '👍', label: 'Like' },
  love: { emoji: '❤️', label: 'Love' },
  insightful: { emoji: '💡', label: 'Insightful' },
  celebrate: { emoji: '🎉', label: 'Celebrate' },
  fire: { emoji: '🔥', label: 'Fire' },
};

/**
 * Capture-app telemetry kinds. Definitions (kept stable; docs/analytics.md):
 *   tap_to_saved_ms      ms from the Save tap to "saved" on screen (value), attrs.mode = online|offline
 *   queue_depth          items waiting in the outbox when a sync starts (value)
 *   sync_outcome         one per synced item: value 1, attrs.result = created|duplicate|conflict|rejected|failed
 *   reconnect            the browser came back online (value 1)
 *   offline_duration_ms  how long the app was offline before that reconnect (value)
 *   app_start            the app started (value 1), attrs.standalone = true|false (installed PWA)
 */
export const TELEMETRY_EVENT_KINDS = [
  'tap_to_saved_ms',
  'queue_depth',
  'sync_outcome',
  'reconnect',
  'offline_duration_ms',
  'app_start',
] as const;
export type TelemetryKind = (typeof TELEMETRY_EVENT_KINDS)[number];

/** sync_outcome's attrs.result values, tap_to_saved_ms's attrs.mode values (metric labels: a fixed list). */
export const SYNC_RESULTS = ['created', 'duplicate', 'conflict', 'rejected', 'failed'] as const;
export const SAVE_MODES = ['online', 'offline'] as const;

/**
 * How far an event's `at` may be from the server's clock. Older events (an app offline for over a week) and
 * events dated ahead of the server (a wrong device clock) make the whole batch a 400 naming the event: the app
 * drops what is too old and stamps what it keeps with its own clock.
 */
export const TELEMETRY_MAX_AGE_MS = 7 * 86_400_000;
export const TELEMETRY_FUTURE_SKEW_MS = 5 * 60_000;
