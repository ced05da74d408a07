import {
  ASSERTING_SOURCES,
  CONFLICT_FIELDS,
  type ConflictField,
  type ConflictFieldName,
} from '../../../contract/api/directory.ts';

/**
 * Disagreements between what the sources asserted about one person (people.source_records: scim, hr, oidc).
 * Pure. Source records use these attribute names (others are read as aliases, for SCIM's own shapes):
 * `email`, `displayName`, `employeeNumber`, `department`, `title`, `manager` (a reference as the source sent
 * it: person id, employee number, login or e-mail), `groups` (names).
 */
export type AssertingSource = (typeof ASSERTING_SOURCES)[number];
type Value = string | string[] | null;
type Record_ = Record<string, unknown>;

/** Who a manager reference names, when we can tell (person id), so "E1002" and Maya's id agree. */
export type ManagerResolver = (ref: string) => { id: string; label: string } | null;

export interface ConflictSubject {
  email: string;
  displayName: string;
  employeeNumber: string | null;
  department: string | null;
  title: string | null;
  managerId: string | null;
  groups: string[];
  sourceRecords: Record<string, Record_>;
}

const str = (v: unknown): string | null | undefined => {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
};

function primaryEmail(emails: unknown): string | undefined {
  if (!Array.isArray(emails)) return undefined;
  const list = emails.filter((e): e is { value: string; primary?: boolean } => typeof e?.value === 'string');
  return (list.find((e) => e.primary) ?? list[0])?.value;
}

function groupNames(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v
    .map((g) => (typeof g === 'string' ? g : typeof g?.display === 'string' ? g.display : null))
    .filter((g): g is string => !!g)
    .sort();
}

/** The value a record asserts for a field; undefined when it does not assert it. */
function asserted(record: Record_, field: ConflictFieldName): Value | undefined {
  switch (field) {
    case 'email':
      return str(record.email ?? primaryEmail(record.emails));
    case 'name': {
      const name = record.displayName ?? (record.name as { formatted?: unknown } | undefined)?.formatted;
      return str(typeof record.name === 'string' ? record.name : name);
    }
    case 'employeeNumber':
      // A token or a source without an employee number says nothing about it.
      return str(record.employeeNumber) ?? undefined;
    case 'department':
      return str(record.department);
    case 'title':
      return str(record.title);
    case 'manager': {
      const m = record.manager;
      if (m && typeof m === 'object') return str((m as { value?: unknown }).value);
      return str(m ?? record.managerRef ?? record.managerId);
    }
    case 'groups':
      return groupNames(record.groups);
  }
}

function comparable(field: ConflictFieldName, value: Value, resolve: ManagerResolver): string {
  if (value === null) return '';
  if (Array.isArray(value)) return JSON.stringify(value);
  if (field === 'email') return value.toLowerCase();
  if (field === 'manager') return resolve(value)?.id ?? value.toLowerCase();
  return value;
}

function shown(field: ConflictFieldName, value: Value, resolve: ManagerResolver): Value {
  if (field !== 'manager' || typeof value !== 'string') return value;
  return resolve(value)?.label ?? value;
}

function inEffect(person: ConflictSubject, field: ConflictFieldName, managerLabel: string | null): Value {
  switch (field) {
    case 'email':
      return person.email;
    case 'name':
      return person.displayName;
    case 'employeeNumber':
      return person.employeeNumber;
    case 'department':
      return person.department;
    case 'title':
      return person.title;
    case 'manager':
      return managerLabel;
    case 'groups':
      return [...person.groups].sort();
  }
}

/** Fields on which at least two sources asserted different values. */
export function conflictsOf(
  person: ConflictSubject,
  resolve: ManagerResolver,
  managerLabel: string | null,
): ConflictField[] {
  const records = ASSERTING_SOURCES.flatMap((source) => {
    const record = person.sourceRecords[source];
    return record && typeof record === 'object' ? [{ source, record }] : [];
  });
  if (records.length < 2) return [];
  const out: ConflictField[] = [];
  for (const field of CONFLICT_FIELDS) {
    const values = records.flatMap(({ source, record }) => {
      const value = asserted(record, field);
      return value === undefined ? [] : [{ source, value }];
    });
    if (values.length < 2) continue;
    const distinct = new Set(values.map((v) => comparable(field, v.value, resolve)));
    if (distinct.size < 2) continue;
    out.push({
      field,
      values: values.map((v) => ({ source: v.source, value: shown(field, v.value, resolve) })),
      inEffect: inEffect(person, field, managerLabel),
    });
  }
  return out;
}
