import type { TelemetryKind } from '../../../contract/api/telemetry.ts';
import { counter, histogram } from '../../observability/metrics.ts';

/**
 * The capture app's telemetry as process metrics, for dashboards and alerts next to the server's own. Labels come
 * from fixed lists only (kind, result, mode, standalone), checked before an event is stored, so the series stay
 * bounded whatever a client sends. Only newly stored events count: a resent batch moves nothing.
 */
export const captureEvents = counter(
  'bi_capture_telemetry_events_total',
  'Capture-app telemetry events stored, by kind.',
);
export const captureSyncItems = counter(
  'bi_capture_sync_items_total',
  'Outbox items the capture app synced, by result (created, duplicate, conflict, rejected, failed).',
);
export const captureReconnects = counter(
  'bi_capture_reconnects_total',
  'Times the capture app came back online.',
);
export const captureAppStarts = counter(
  'bi_capture_app_starts_total',
  'Capture-app starts, by whether it runs as an installed app (standalone true, false or unknown).',
);
export const captureTapToSaved = histogram(
  'bi_capture_tap_to_saved_seconds',
  'Seconds from the Save tap to "saved" on screen, by mode (online, offline).',
  [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
);
export const captureOfflineDuration = histogram(
  'bi_capture_offline_duration_seconds',
  'How long the capture app was offline before it reconnected, in seconds.',
  [10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600],
);
export const captureQueueDepth = histogram(
  'bi_capture_queue_depth',
  'Items waiting in the capture outbox when a sync starts.',
  [0, 1, 2, 5, 10, 25, 50, 100, 250, 1000],
);

/** One stored event, already validated (its attrs hold only values from the fixed lists). */
export function recordCaptureEvent(event: {
  kind: TelemetryKind;
  value: number;
  attrs: Record<string, string>;
}) {
  captureEvents.inc({ kind: event.kind });
  switch (event.kind) {
    case 'sync_outcome':
      captureSyncItems.inc({ result: event.attrs.result ?? 'unknown' });
      return;
    case 'reconnect':
      captureReconnects.inc();
      return;
    case 'app_start':
      captureAppStarts.inc({ standalone: event.attrs.standalone ?? 'unknown' });
      return;
    case 'tap_to_saved_ms':
      captureTapToSaved.observe({ mode: event.attrs.mode ?? 'unknown' }, event.value / 1000);
      return;
    case 'offline_duration_ms':
      captureOfflineDuration.observe({}, event.value / 1000);
      return;
    case 'queue_depth':
      captureQueueDepth.observe({}, event.value);
      return;
  }
}
