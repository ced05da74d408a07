import type { EventSummary } from '../../contract/api/events.ts';

/** The event/session the advocate is at, remembered on this device until they change it. */
export interface CaptureContext {
  eventId: string | null;
  sessionId: string | null;
}

const KEY = 'bi.capture.context';
const EMPTY: CaptureContext = { eventId: null, sessionId: null };

const idOrNull = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

export function loadContext(): CaptureContext {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (raw === null) return EMPTY;
    const parsed = JSON.parse(raw) as Record<string, unknown> | null;
    if (typeof parsed !== 'object' || parsed === null) return EMPTY;
    return { eventId: idOrNull(parsed.eventId), sessionId: idOrNull(parsed.sessionId) };
  } catch {
    return EMPTY;
  }
}

export function saveContext(context: CaptureContext): void {
  try {
    if (context.eventId === null) window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, JSON.stringify(context));
  } catch {
    // Private mode or full storage: the picker still works for this page view.
  }
}

const DRAFT_KEY = 'bi.capture.draft';

/**
 * The unsaved draft, kept for this browser tab only (sessionStorage), so a reload or a trip through sign-in
 * after an expired session brings the typed text back. Cleared once the insight is saved.
 */
export function loadDraft<T extends object>(fallback: T): T {
  try {
    const raw = window.sessionStorage.getItem(DRAFT_KEY);
    if (raw === null) return fallback;
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return fallback;
    const restored = { ...fallback } as Record<string, unknown>;
    for (const [key, value] of Object.entries(parsed)) {
      const expected = (fallback as Record<string, unknown>)[key];
      if (expected === undefined) continue;
      const sameShape = Array.isArray(expected) ? Array.isArray(value) : typeof value === typeof expected;
      if (sameShape) restored[key] = value;
    }
    return restored as T;
  } catch {
    return fallback;
  }
}

export function saveDraft(draft: object | null): void {
  try {
    if (draft === null) window.sessionStorage.removeItem(DRAFT_KEY);
    else window.sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // Storage unavailable: the draft lives only in memory.
  }
}

const EVENTS_KEY = 'bi.capture.events';

/** The active events as last loaded, so the picker still works (and queued insights keep their event) offline. */
export function loadEvents(): EventSummary[] {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(EVENTS_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed)
      ? parsed.filter(
          (event): event is EventSummary =>
            typeof event === 'object' && event !== null && Array.isArray((event as EventSummary).sessions),
        )
      : [];
  } catch {
    return [];
  }
}

export function saveEvents(events: EventSummary[]): void {
  try {
    window.localStorage.setItem(EVENTS_KEY, JSON.stringify(events));
  } catch {
    // Storage unavailable: the picker works while the server answers.
  }
}
