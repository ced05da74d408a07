import { ClaimsModelSpec } from '../../../../contract/api/claims-model.ts';
import { readDraft, writeDraft } from '../../sessionState.ts';

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

interface StoredDraft {
  baseVersion: number;
  text: string;
  reason: string;
}

/** The unsaved edit, kept for this tab across the round trip through "Verify it's you". */
export function loadDraft(baseVersion: number): StoredDraft | null {
  const isDraft = (value: unknown): value is StoredDraft =>
    typeof value === 'object' &&
    value !== null &&
    (value as StoredDraft).baseVersion === baseVersion &&
    typeof (value as StoredDraft).text === 'string';
  return readDraft<StoredDraft | null>('claims-model', null, isDraft);
}

export function saveDraft(draft: StoredDraft | null): void {
  writeDraft('claims-model', draft ?? undefined);
}
