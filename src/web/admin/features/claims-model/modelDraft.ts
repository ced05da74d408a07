import { ClaimsModelSpec } from '../../../../contract/api/claims-model.ts';

/** JSON with object keys sorted: two models compare equal whatever order their keys were written in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

export type Checked =
  | { ok: true; model: ClaimsModelSpec; changed: string[] }
  | { ok: false; problems: string[] };

/** Parses and validates the editor text against the same schema the server uses; lists what changed. */
export function checkModel(text: string, active: ClaimsModelSpec): Checked {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  const result = ClaimsModelSpec.safeParse(parsed);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'model'}: ${issue.message}`),
    };
  }
  const model = result.data;
  const changed = (Object.keys(model) as (keyof ClaimsModelSpec)[]).filter(
    (key) => canonical(model[key]) !== canonical(active[key]),
  );
  return { ok: true, model, changed };
}

const KEY = 'bi.admin.claims-model.draft';

interface StoredDraft {
  baseVersion: number;
  text: string;
  reason: string;
}

/** The unsaved edit, kept for this tab so the round trip through "Verify it's you" does not lose it. */
export function loadDraft(baseVersion: number): StoredDraft | null {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(KEY) ?? 'null') as StoredDraft | null;
    return stored !== null && stored.baseVersion === baseVersion && typeof stored.text === 'string'
      ? stored
      : null;
  } catch {
    return null;
  }
}

export function saveDraft(draft: StoredDraft | null): void {
  try {
    if (draft === null) window.sessionStorage.removeItem(KEY);
    else window.sessionStorage.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Storage unavailable: the edit lives in the page only.
  }
}
