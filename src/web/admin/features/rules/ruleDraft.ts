import { z } from 'zod';
import type { RulePreview } from '../../../../contract/api/access.ts';
import { RuleSetSpec } from '../../../../contract/api/entitlements.ts';
import { readDraft, writeDraft } from '../../sessionState.ts';

// Zod probes for eval (new Function) the first time it parses an object; our CSP refuses eval, so the probe
// would be reported as a violation. Parse without it (same results, no code generation).
z.config({ jitless: true });

/** JSON with object keys sorted: two rules compare equal whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

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
    ...(JSON.stringify(spec.builderRelations) === JSON.stringify(active.builderRelations)
      ? []
      : ['builderRelations']),
  ];
  return [...ids, ...settings];
}

/** Parses and validates the editor text with the same schema the server uses. */
export function checkRules(text: string, active: RuleSetSpec): CheckedRules {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  const result = RuleSetSpec.safeParse(parsed);
  if (!result.success)
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'rule set'}: ${issue.message}`),
    };
  return { ok: true, spec: result.data, changed: changedRules(result.data, active) };
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
