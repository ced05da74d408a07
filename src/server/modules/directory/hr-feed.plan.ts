import {
  type ImportConflict,
  type ImportCounts,
  type ImportJoiner,
  type ImportLeaver,
  type ImportMover,
  MASS_LEAVERS,
  type MoverField,
} from '../../../contract/api/directory.ts';
import { cyclesIn } from './hierarchy.service.ts';
import { COLUMN_OF, type HrRow, type RowError } from './hr-feed.parse.ts';
import type { OrgPerson } from './org.snapshot.ts';

/**
 * An HR file's rows against the current org → what an apply would do: joiners (new employee numbers), movers
 * (field-level changes), leavers (HR-managed people absent from the file), unchanged, and people another
 * source (SCIM) manages, whose differing values are conflicts (reported, never applied). Pure: the preview
 * and the apply plan the same rows against the same snapshot and get the same plan.
 */

/** Where a row's manager points: nobody (top of the org), an existing person, or a joiner of this file. */
export type ManagerTarget =
  | { kind: 'none' }
  | { kind: 'person'; id: string }
  | { kind: 'joiner'; employeeNumber: string };

export interface PlannedUpdate {
  row: HrRow;
  person: OrgPerson;
  changes: ImportMover['changes'];
  /** Column values to write (only what changes). */
  set: Partial<
    Pick<OrgPerson, 'email' | 'displayName' | 'employeeNumber' | 'department' | 'title' | 'builderRelations'>
  > & {
    status?: 'active';
    orgSource?: 'hr';
  };
  manager: ManagerTarget | undefined;
  managerChanged: boolean;
  reactivate: boolean;
}

export interface ImportPlan {
  joiners: { row: HrRow; manager: ManagerTarget | undefined }[];
  updates: PlannedUpdate[];
  unchanged: { row: HrRow; person: OrgPerson }[];
  otherSource: { row: HrRow; person: OrgPerson }[];
  leavers: OrgPerson[];
  /** More leavers than a complete file plausibly has: applying needs the number confirmed. */
  leaversNeedConfirmation: boolean;
  counts: ImportCounts;
  diff: {
    joiners: ImportJoiner[];
    movers: ImportMover[];
    leavers: ImportLeaver[];
    conflicts: ImportConflict[];
  };
  errors: RowError[];
}

const lower = (s: string) => s.toLowerCase();

interface Context {
  byId: Map<string, OrgPerson>;
  rowsByNumber: Map<string, HrRow>;
  matched: Map<string, OrgPerson | null>;
}

function personLabel(p: OrgPerson): string {
  return p.employeeNumber ? `${p.displayName} (${p.employeeNumber})` : p.displayName;
}

function joinerLabel(row: HrRow): string {
  return `${row.name ?? row.email} (${row.employeeNumber}, joining)`;
}

function targetLabel(ctx: Context, target: ManagerTarget): string | null {
  if (target.kind === 'none') return null;
  if (target.kind === 'person') {
    const p = ctx.byId.get(target.id);
    return p ? personLabel(p) : target.id;
  }
  const row = ctx.rowsByNumber.get(target.employeeNumber);
  return row ? joinerLabel(row) : target.employeeNumber;
}

function managerLabelOf(ctx: Context, managerId: string | null): string | null {
  if (!managerId) return null;
  const p = ctx.byId.get(managerId);
  return p ? personLabel(p) : managerId;
}

function sameTarget(target: ManagerTarget, managerId: string | null): boolean {
  if (target.kind === 'none') return managerId === null;
  if (target.kind === 'person') return target.id === managerId;
  return false;
}

/** Each row's person: by employee number, else the one person with that e-mail and no employee number. */
function matchRows(rows: HrRow[], people: OrgPerson[], errors: RowError[]) {
  const byNumber = new Map<string, OrgPerson>();
  const byEmail = new Map<string, OrgPerson[]>();
  for (const p of people) {
    if (p.employeeNumber) byNumber.set(p.employeeNumber, p);
    else byEmail.set(lower(p.email), [...(byEmail.get(lower(p.email)) ?? []), p]);
  }
  const matched = new Map<string, OrgPerson | null>();
  for (const row of rows) {
    const hit = byNumber.get(row.employeeNumber);
    if (hit) {
      matched.set(row.employeeNumber, hit);
      continue;
    }
    const candidates = byEmail.get(lower(row.email)) ?? [];
    if (candidates.length > 1)
      errors.push({
        row: row.row,
        field: COLUMN_OF.email,
        message: `matches ${candidates.length} people without an employee number; cannot tell which one this is`,
      });
    matched.set(row.employeeNumber, candidates.length === 1 ? (candidates[0] ?? null) : null);
  }
  return { byNumber, matched };
}

function resolveManager(
  row: HrRow,
  ctx: Context,
  byNumber: Map<string, OrgPerson>,
  leaving: Set<string>,
  errors: RowError[],
): ManagerTarget | undefined {
  if (row.manager === undefined) return undefined;
  if (row.manager === null) return { kind: 'none' };
  const ref = row.manager;
  if (ctx.rowsByNumber.has(ref)) {
    const p = ctx.matched.get(ref);
    return p ? { kind: 'person', id: p.id } : { kind: 'joiner', employeeNumber: ref };
  }
  const existing = byNumber.get(ref);
  const fail = (message: string) => {
    errors.push({ row: row.row, field: COLUMN_OF.manager, message });
    return undefined;
  };
  if (!existing) return fail(`${ref} is neither in the file nor an existing person`);
  if (existing.status === 'deactivated')
    return fail(`${ref} (${existing.displayName}) is deactivated and cannot manage anyone`);
  if (leaving.has(existing.id))
    return fail(`${ref} (${existing.displayName}) is not in the file, so this import would deactivate them`);
  return { kind: 'person', id: existing.id };
}

type Value = string | boolean | null;

/** Field-level differences between what the row asserts and the person's current values. */
function differences(row: HrRow, person: OrgPerson, manager: ManagerTarget | undefined, ctx: Context) {
  const changes: { field: MoverField; before: Value; after: Value }[] = [];
  const set: PlannedUpdate['set'] = {};
  // Case alone is not a change: sign-in refreshes the e-mail as the identity provider spells it.
  if (lower(row.email) !== lower(person.email)) {
    changes.push({ field: 'email', before: person.email, after: row.email });
    set.email = row.email;
  }
  if (row.name !== undefined && row.name !== person.displayName) {
    changes.push({ field: 'name', before: person.displayName, after: row.name });
    set.displayName = row.name;
  }
  if (row.employeeNumber !== person.employeeNumber) {
    changes.push({ field: 'employeeNumber', before: person.employeeNumber, after: row.employeeNumber });
    set.employeeNumber = row.employeeNumber;
  }
  const managerChanged = manager !== undefined && !sameTarget(manager, person.managerId);
  if (manager !== undefined && managerChanged)
    changes.push({
      field: 'manager',
      before: managerLabelOf(ctx, person.managerId),
      after: targetLabel(ctx, manager),
    });
  for (const field of ['department', 'title'] as const) {
    const value = row[field];
    if (value !== undefined && value !== person[field]) {
      changes.push({ field, before: person[field], after: value });
      set[field] = value;
    }
  }
  if (row.builderRelations !== undefined && row.builderRelations !== person.builderRelations) {
    changes.push({ field: 'builderRelations', before: person.builderRelations, after: row.builderRelations });
    set.builderRelations = row.builderRelations;
  }
  return { changes, set, managerChanged };
}

/** A cycle in the manager graph after the import, through at least one node the import changes. */
function finalCycles(people: OrgPerson[], assigned: Map<string, string | null>): string[][] {
  const next = new Map<string, string | null>();
  for (const p of people) next.set(p.id, p.managerId);
  for (const [node, manager] of assigned) next.set(node, manager);
  return cyclesIn(next).filter((cycle) => cycle.some((n) => assigned.has(n)));
}

const nodeOf = (row: HrRow, ctx: Context) =>
  ctx.matched.get(row.employeeNumber)?.id ?? `new:${row.employeeNumber}`;

function targetNode(target: ManagerTarget): string | null {
  if (target.kind === 'none') return null;
  return target.kind === 'person' ? target.id : `new:${target.employeeNumber}`;
}

export function planImport(rows: HrRow[], people: OrgPerson[]): ImportPlan {
  const errors: RowError[] = [];
  const { byNumber, matched } = matchRows(rows, people, errors);
  const ctx: Context = {
    byId: new Map(people.map((p) => [p.id, p])),
    rowsByNumber: new Map(rows.map((r) => [r.employeeNumber, r])),
    matched,
  };
  const matchedIds = new Set([...matched.values()].filter((p): p is OrgPerson => !!p).map((p) => p.id));
  const leavers = people.filter(
    (p) => p.orgSource === 'hr' && p.status !== 'deactivated' && !matchedIds.has(p.id),
  );
  leavers.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
  const leaving = new Set(leavers.map((p) => p.id));
  const hrManaged = people.filter((p) => p.orgSource === 'hr' && p.status !== 'deactivated').length;

  const plan: ImportPlan = {
    joiners: [],
    updates: [],
    unchanged: [],
    otherSource: [],
    leavers,
    leaversNeedConfirmation:
      leavers.length > MASS_LEAVERS.minimum && leavers.length * 100 > hrManaged * MASS_LEAVERS.percent,
    counts: {
      rows: rows.length,
      joiners: 0,
      movers: 0,
      leavers: leavers.length,
      unchanged: 0,
      conflicts: 0,
      otherSource: 0,
    },
    diff: { joiners: [], movers: [], leavers: [], conflicts: [] },
    errors,
  };
  /** Manager assignments the import makes, by node (person id or new:<employee number>). */
  const assigned = new Map<string, string | null>();
  /** Final e-mail of everyone not deactivated afterwards, by node. */
  const finalEmail = new Map<string, string>();
  for (const p of people)
    if (p.status !== 'deactivated' && !leaving.has(p.id)) finalEmail.set(p.id, lower(p.email));

  for (const row of rows) {
    const manager = resolveManager(row, ctx, byNumber, leaving, errors);
    const person = matched.get(row.employeeNumber) ?? null;
    if (!person) {
      plan.joiners.push({ row, manager });
      assigned.set(`new:${row.employeeNumber}`, manager ? targetNode(manager) : null);
      finalEmail.set(`new:${row.employeeNumber}`, lower(row.email));
      plan.diff.joiners.push({
        row: row.row,
        employeeNumber: row.employeeNumber,
        email: row.email,
        name: row.name ?? row.email,
        department: row.department ?? null,
        title: row.title ?? null,
        manager: manager ? targetLabel(ctx, manager) : null,
        builderRelations: row.builderRelations ?? false,
      });
      continue;
    }
    const { changes, set, managerChanged } = differences(row, person, manager, ctx);
    if (person.orgSource && person.orgSource !== 'hr') {
      plan.otherSource.push({ row, person });
      if (changes.length > 0)
        plan.diff.conflicts.push({
          row: row.row,
          personId: person.id,
          employeeNumber: person.employeeNumber,
          name: person.displayName,
          managingSource: person.orgSource,
          fields: changes.map((c) => ({ field: c.field, inEffect: c.before, asserted: c.after })),
        });
      continue;
    }
    if (person.status !== 'active') {
      changes.push({ field: 'status', before: person.status, after: 'active' });
      set.status = 'active';
    }
    if (person.orgSource !== 'hr') {
      changes.push({ field: 'orgSource', before: person.orgSource, after: 'hr' });
      set.orgSource = 'hr';
    }
    if (managerChanged && manager) assigned.set(person.id, targetNode(manager));
    finalEmail.set(person.id, lower(row.email));
    if (changes.length === 0) {
      plan.unchanged.push({ row, person });
      continue;
    }
    plan.updates.push({
      row,
      person,
      changes,
      set,
      manager,
      managerChanged,
      reactivate: person.status === 'deactivated',
    });
    plan.diff.movers.push({
      row: row.row,
      personId: person.id,
      employeeNumber: row.employeeNumber,
      name: row.name ?? person.displayName,
      changes,
    });
  }
  plan.diff.leavers = leavers.map((p) => ({
    personId: p.id,
    employeeNumber: p.employeeNumber,
    name: p.displayName,
    email: p.email,
  }));

  checkEmails(rows, ctx, finalEmail, plan, errors);
  checkCycles(people, assigned, rows, ctx, errors);

  plan.counts.joiners = plan.joiners.length;
  plan.counts.movers = plan.updates.length;
  plan.counts.unchanged = plan.unchanged.length;
  plan.counts.otherSource = plan.otherSource.length;
  plan.counts.conflicts = plan.diff.conflicts.length;
  errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return plan;
}

/** No two people left active may share an e-mail because of this import (sign-in links by e-mail). */
function checkEmails(
  rows: HrRow[],
  ctx: Context,
  finalEmail: Map<string, string>,
  plan: ImportPlan,
  errors: RowError[],
) {
  const holders = new Map<string, string[]>();
  for (const [node, email] of finalEmail) holders.set(email, [...(holders.get(email) ?? []), node]);
  const otherSource = new Set(plan.otherSource.map((o) => o.person.id));
  for (const row of rows) {
    const node = nodeOf(row, ctx);
    if (otherSource.has(node)) continue;
    const others = (holders.get(lower(row.email)) ?? []).filter((n) => n !== node);
    const other = others[0];
    if (!other) continue;
    const person = ctx.byId.get(other);
    const who = person
      ? `${personLabel(person)}${person.orgSource === 'scim' ? ', managed by SCIM' : ''}`
      : `the joiner ${other.slice(4)}`;
    errors.push({
      row: row.row,
      field: COLUMN_OF.email,
      message: `${row.email} is also the e-mail of ${who}`,
    });
  }
}

function checkCycles(
  people: OrgPerson[],
  assigned: Map<string, string | null>,
  rows: HrRow[],
  ctx: Context,
  errors: RowError[],
) {
  const rowOfNode = new Map(rows.map((r) => [nodeOf(r, ctx), r]));
  for (const cycle of finalCycles(people, assigned)) {
    const steps = [...cycle, cycle[0] ?? ''].map((n) => {
      const row = rowOfNode.get(n);
      if (row) return `row ${row.row}`;
      const p = ctx.byId.get(n);
      return p ? `${personLabel(p)} (not in the file)` : n;
    });
    for (const n of cycle) {
      const row = rowOfNode.get(n);
      if (row && assigned.has(n))
        errors.push({
          row: row.row,
          field: COLUMN_OF.manager,
          message: `the manager chain would loop: ${steps.join(' → ')}`,
        });
    }
  }
}
