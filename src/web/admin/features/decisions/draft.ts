import {
  DECISION_FIELDS,
  DECISION_LIMITS,
  type Decision,
  type DecisionCreate,
  type DecisionField,
  type DecisionStatus,
  type DecisionUpdate,
} from '../../../../contract/api/decisions.ts';
import type { FieldError } from '../../../../contract/problem.ts';

/** The form's state: text as typed, the due date '' when none, dependencies as ids. */
export interface Draft {
  workstream: string;
  title: string;
  direction: string;
  owner: string;
  status: DecisionStatus;
  dependsOn: string[];
  nextAction: string;
  dueDate: string;
}
export type FieldErrors = Partial<Record<DecisionField, string>>;

export const emptyDraft = (): Draft => ({
  workstream: '',
  title: '',
  direction: '',
  owner: '',
  status: 'in_discovery',
  dependsOn: [],
  nextAction: '',
  dueDate: '',
});

export const draftOf = (d: Decision): Draft => ({
  workstream: d.workstream,
  title: d.title,
  direction: d.direction,
  owner: d.owner,
  status: d.status,
  dependsOn: d.dependsOn.map((dep) => dep.id),
  nextAction: d.nextAction,
  dueDate: d.dueDate ?? '',
});

const sameValue = (a: Draft, b: Draft, key: DecisionField) =>
  key === 'dependsOn'
    ? a.dependsOn.length === b.dependsOn.length && a.dependsOn.every((id) => b.dependsOn.includes(id))
    : String(a[key]).trim() === String(b[key]).trim();

export function bodyOf(d: Draft): DecisionCreate {
  return {
    workstream: d.workstream.trim(),
    title: d.title.trim(),
    direction: d.direction.trim(),
    owner: d.owner.trim(),
    status: d.status,
    dependsOn: d.dependsOn,
    nextAction: d.nextAction.trim(),
    dueDate: d.dueDate === '' ? null : d.dueDate,
  };
}

/** Only what differs from the version the edit started from, with that version. */
export function changesOf(draft: Draft, base: Draft, version: number): DecisionUpdate {
  const body = bodyOf(draft);
  const out: Record<string, unknown> = { version };
  for (const key of DECISION_FIELDS) if (!sameValue(draft, base, key)) out[key] = body[key];
  return out as DecisionUpdate;
}

export const hasChanges = (draft: Draft, base: Draft) =>
  DECISION_FIELDS.some((k) => !sameValue(draft, base, k));

/** The person's changes (draft vs the base they started from) put on top of the newest version. */
export function rebase(draft: Draft, base: Draft, latest: Draft): Draft {
  const out = { ...latest };
  for (const key of DECISION_FIELDS)
    if (!sameValue(draft, base, key)) Object.assign(out, { [key]: draft[key] });
  return out;
}

/** The checks the server makes, before sending (the server's answer still decides). */
export function validate(d: Draft): FieldErrors {
  const errors: FieldErrors = {};
  for (const key of ['workstream', 'title', 'owner'] as const)
    if (d[key].trim() === '') errors[key] = 'must not be empty';
  for (const key of ['workstream', 'title', 'direction', 'owner', 'nextAction'] as const)
    if (d[key].trim().length > DECISION_LIMITS[key])
      errors[key] = `must be at most ${DECISION_LIMITS[key]} characters`;
  if (d.status === 'decided' && d.direction.trim() === '')
    errors.direction = 'must not be empty once the status is decided';
  return errors;
}

/** Field errors of a problem by form field ("body.dependsOn" → dependsOn); the rest as they are. */
export function collectErrors(list: readonly FieldError[]): { fields: FieldErrors; other: FieldError[] } {
  const fields: FieldErrors = {};
  const other: FieldError[] = [];
  for (const item of list) {
    const key = item.field.replace(/^body\./, '').split('.')[0] as DecisionField;
    if ((DECISION_FIELDS as readonly string[]).includes(key)) fields[key] = item.message;
    else other.push(item);
  }
  return { fields, other };
}
