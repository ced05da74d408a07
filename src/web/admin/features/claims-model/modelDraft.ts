import { ClaimsModelSpec } from '../../../../contract/api/claims-model.ts';
import { canonical, parseJsonSpec } from '../../jsonSpec.ts';
import { readDraft, writeDraft } from '../../sessionState.ts';

export type Checked =
  | { ok: true; model: ClaimsModelSpec; changed: string[] }
  | { ok: false; problems: string[] };

/** Parses and validates the editor text against the same schema the server uses; lists what changed. */
export function checkModel(text: string, active: ClaimsModelSpec): Checked {
  const result = parseJsonSpec(text, ClaimsModelSpec, 'model');
  if (!result.ok) return result;
  const model = result.value;
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
