import type { RulePreview } from '../../../../contract/api/access.ts';
import { RuleSetSpec } from '../../../../contract/api/entitlements.ts';
import { canonical, parseJsonSpec } from '../../jsonSpec.ts';
import { readDraft, writeDraft } from '../../sessionState.ts';

export type CheckedRules =
  | { ok: true; spec: RuleSetSpec; changed: string[] }
  | { ok: false; problems: string[] };

/** Rule ids added, removed or changed (and teamGroupPrefix / builderRelations), as the server's preview names them. */
export function changedRules(spec: RuleSetSpec, active: RuleSetSpec): string[] {
  const before = new Map(active.rules.map((rule) => [rule.id, canonical(rule)]));
  const after = new Map(spec.rules.map((rule) => [rule.id, canonical(rule)]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].filter(
    (id) => before.get(id) !== after.get(id),
  );
  ids.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const settings = [
    ...(spec.teamGroupPrefix === active.teamGroupPrefix ? [] : ['teamGroupPrefix']),
    ...(canonical(spec.builderRelations) === canonical(active.builderRelations) ? [] : ['builderRelations']),
  ];
  return [...ids, ...settings];
}

/** Parses and validates the editor text with the same schema the server uses. */
export function checkRules(text: string, active: RuleSetSpec): CheckedRules {
  const result = parseJsonSpec(text, RuleSetSpec, 'rule set');
  if (!result.ok) return result;
  return { ok: true, spec: result.value, changed: changedRules(result.value, active) };
}

export interface StoredRulesDraft {
  baseVersion: number;
  text: string;
  reason: string;
  /** The preview of exactly `previewedText`: Propose needs a preview of what is proposed. */
  preview: RulePreview | null;
  previewedText: string | null;
}

/** The unsaved edit, kept for this tab across the round trip through "Verify it's you". */
export function loadRulesDraft(baseVersion: number): StoredRulesDraft | null {
  const isDraft = (value: unknown): value is StoredRulesDraft =>
    typeof value === 'object' &&
    value !== null &&
    (value as StoredRulesDraft).baseVersion === baseVersion &&
    typeof (value as StoredRulesDraft).text === 'string';
  return readDraft<StoredRulesDraft | null>('rules', null, isDraft);
}

export function saveRulesDraft(draft: StoredRulesDraft | null): void {
  writeDraft('rules', draft ?? undefined);
}
