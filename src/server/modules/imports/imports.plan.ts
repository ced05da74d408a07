import { and, inArray, ne, or, sql } from 'drizzle-orm';
import { EventCreate } from '../../../contract/api/events.ts';
import type { ImportRow } from '../../../contract/api/imports.ts';
import type { Db } from '../../db/client.ts';
import { eventAssignments } from '../../db/schema.program.ts';
import { events, people } from '../../db/schema.ts';
import { personInScope } from '../access/scope.sql.ts';
import { eventManageScope } from '../events/events.policy.ts';
import {
  type Assignment,
  changedColumns,
  type EventColumns,
  type EventFields,
  type EventRow,
  eventColumns,
  sameAssignments,
} from '../events/events.values.ts';
import type { Actor } from '../identity/actor.ts';
import type { AssignmentRole, RowDraft, RowIssue } from './imports.rows.ts';

/**
 * Drafted rows → what applying them would do, against the database as it is now: create, update (only the
 * fields the row states), unchanged, error, duplicate in the file, or blank. Every row that could be written
 * has passed the contract's EventCreate; an optional field EventCreate refuses is dropped with a warning.
 */
export interface PlannedRow extends ImportRow {
  write: null | { kind: 'create'; columns: EventColumns; assignments: Assignment[] } | UpdateWrite;
}
export interface UpdateWrite {
  kind: 'update';
  eventId: string;
  version: number;
  columns: EventColumns;
  changed: string[];
  assignments: Assignment[] | null;
}

const REQUIRED = new Set(['name', 'startsOn', 'endsOn', 'eventType']);
const ROLES: AssignmentRole[] = ['on_site', 'remote', 'volunteer_travel'];
const FIELD_OF_ROLE: Record<AssignmentRole, string> = {
  on_site: 'assigned_on_site',
  remote: 'assigned_remote',
  volunteer_travel: 'assigned_volunteer',
};
const CHUNK = 1000;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** "Ari Levy <ari.levy@example.com>" → the address; anything else as written, lower case. */
const tokenKey = (token: string) => (/<([^<>\s]+@[^<>\s]+)>/.exec(token)?.[1] ?? token).trim().toLowerCase();

interface Person {
  id: string;
  email: string;
  name: string;
}
interface Directory {
  byKey: Map<string, Person[]>;
  ownersInScope: Set<string>;
}

async function loadDirectory(db: Db, actor: Actor, drafts: readonly RowDraft[]): Promise<Directory> {
  const keys = new Set<string>();
  for (const d of drafts) {
    if (d.owner) keys.add(tokenKey(d.owner));
    for (const list of Object.values(d.advocates)) for (const t of list) keys.add(tokenKey(t));
  }
  const byKey = new Map<string, Person[]>();
  const add = (key: string, person: Person) => {
    const list = byKey.get(key) ?? [];
    if (!list.some((p) => p.id === person.id)) list.push(person);
    byKey.set(key, list);
  };
  for (const part of chunks([...keys])) {
    const rows = await db
      .select({ id: people.id, email: people.email, name: people.displayName })
      .from(people)
      .where(
        and(
          ne(people.status, 'deactivated'),
          or(inArray(sql`lower(${people.email})`, part), inArray(sql`lower(${people.displayName})`, part)),
        ),
      );
    for (const p of rows) {
      if (keys.has(p.email.toLowerCase())) add(p.email.toLowerCase(), p);
      if (keys.has(p.name.toLowerCase())) add(p.name.toLowerCase(), p);
    }
  }
  const ownersInScope = new Set<string>();
  const ownerIds = [...new Set(drafts.flatMap((d) => (d.owner ? resolveIds(byKey, d.owner) : [])))];
  for (const part of chunks(ownerIds)) {
    const rows = await db
      .select({ id: people.id })
      .from(people)
      .where(and(inArray(people.id, part), personInScope(people.id, actor)));
    for (const r of rows) ownersInScope.add(r.id);
  }
  return { byKey, ownersInScope };
}

const resolveIds = (byKey: Map<string, Person[]>, token: string) =>
  (byKey.get(tokenKey(token)) ?? []).map((p) => p.id);

function resolvePerson(dir: Directory, token: string): { id: string } | { problem: string } {
  const found = dir.byKey.get(tokenKey(token)) ?? [];
  if (found.length === 1) return { id: (found[0] as Person).id };
  if (found.length > 1) return { problem: `"${token}" names ${found.length} people; use the e-mail address` };
  return {
    problem: `"${token}" is not a person in the directory (or is deactivated); use their e-mail address`,
  };
}

interface Existing {
  row: EventRow;
  canManage: boolean;
  assignments: Assignment[];
}

async function loadExisting(
  db: Db,
  actor: Actor,
  drafts: readonly RowDraft[],
  lock: boolean,
): Promise<Map<string, Existing>> {
  const names = [...new Set(drafts.flatMap((d) => (d.key && d.name ? [d.name.toLowerCase()] : [])))];
  const out = new Map<string, Existing>();
  for (const part of chunks(names)) {
    const where = inArray(sql`lower(${events.name})`, part);
    // Inside apply: hold the rows until the chunk commits, so an edit between plan and write cannot be lost.
    if (lock) await db.select({ id: events.id }).from(events).where(where).for('update');
    const rows = await db
      .select({ row: events, canManage: sql<boolean>`(${eventManageScope(actor)})` })
      .from(events)
      .where(where);
    for (const { row, canManage } of rows)
      out.set(`${row.name.toLowerCase()}|${row.startsOn}`, { row, canManage, assignments: [] });
  }
  const byId = new Map([...out.values()].map((e) => [e.row.id, e]));
  for (const part of chunks([...byId.keys()])) {
    const rows = await db
      .select({
        eventId: eventAssignments.eventId,
        personId: eventAssignments.personId,
        role: eventAssignments.role,
      })
      .from(eventAssignments)
      .where(inArray(eventAssignments.eventId, part));
    for (const a of rows) byId.get(a.eventId)?.assignments.push({ personId: a.personId, role: a.role });
  }
  return out;
}

/** EventCreate, dropping (with a warning) each optional field it refuses; null when a required one fails. */
function validate(
  input: Record<string, unknown>,
  fieldOf: Record<string, string>,
  errors: RowIssue[],
  warnings: RowIssue[],
): EventFields & { assignments?: Assignment[] } {
  const candidate = { ...input };
  for (;;) {
    const parsed = EventCreate.safeParse(candidate);
    if (parsed.success) return parsed.data as EventFields & { assignments?: Assignment[] };
    let dropped = false;
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'name');
      const field = fieldOf[key] ?? key;
      if (REQUIRED.has(key) || !(key in candidate)) {
        if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
      } else {
        delete candidate[key];
        dropped = true;
        warnings.push({ field, message: `${issue.message}; left unset` });
      }
    }
    if (!dropped || errors.length > 0) return candidate as EventFields;
  }
}

function assignmentsOf(draft: RowDraft, dir: Directory, warnings: RowIssue[]) {
  const stated = ROLES.filter((role) => draft.advocates[role] !== undefined);
  const out: Assignment[] = [];
  for (const role of stated) {
    for (const token of draft.advocates[role] ?? []) {
      const person = resolvePerson(dir, token);
      if ('problem' in person) warnings.push({ field: FIELD_OF_ROLE[role], message: person.problem });
      else if (out.some((a) => a.personId === person.id))
        warnings.push({ field: FIELD_OF_ROLE[role], message: `"${token}" is already assigned in this row` });
      else out.push({ personId: person.id, role });
    }
  }
  return { stated, list: out };
}

export async function planRows(
  db: Db,
  actor: Actor,
  drafts: readonly RowDraft[],
  duplicates: ReadonlyMap<number, number>,
  options: { lock?: boolean } = {},
): Promise<PlannedRow[]> {
  const live = drafts.filter((d) => !d.blank && !duplicates.has(d.line));
  const dir = await loadDirectory(db, actor, live);
  const existing = await loadExisting(db, actor, live, options.lock ?? false);
  return drafts.map((draft) => planOne(draft, duplicates, dir, existing, actor));
}

function planOne(
  draft: RowDraft,
  duplicates: ReadonlyMap<number, number>,
  dir: Directory,
  existing: ReadonlyMap<string, Existing>,
  actor: Actor,
): PlannedRow {
  const errors = [...draft.errors];
  const warnings = [...draft.warnings];
  const row = (action: PlannedRow['action'], extra: Partial<PlannedRow> = {}): PlannedRow => ({
    line: draft.line,
    action,
    name: draft.name,
    startsOn: draft.startsOn,
    eventId: null,
    changes: [],
    errors,
    warnings,
    write: null,
    ...extra,
  });
  if (draft.blank) return row('blank');
  const earlier = duplicates.get(draft.line);
  if (earlier !== undefined) {
    errors.push({ field: 'name', message: `same event name and start date as line ${earlier}; skipped` });
    return row('duplicate_in_file');
  }
  const input: Record<string, unknown> = { ...draft.input };
  const fieldOf: Record<string, string> = { ...draft.fieldOf };
  if (draft.owner) {
    const owner = resolvePerson(dir, draft.owner);
    if ('problem' in owner) errors.push({ field: 'owner', message: owner.problem });
    else if (actor.role !== 'admin' && !dir.ownersInScope.has(owner.id))
      errors.push({ field: 'owner', message: `"${draft.owner}" is outside your scope` });
    else {
      input.ownerId = owner.id;
      fieldOf.ownerId = 'owner';
    }
  }
  const assignments = assignmentsOf(draft, dir, warnings);
  if (errors.length > 0) return row('error');
  const found = draft.key ? existing.get(draft.key) : undefined;
  const candidate = {
    ...input,
    eventType: input.eventType ?? found?.row.eventType ?? 'other',
    endsOn: input.endsOn ?? found?.row.endsOn ?? draft.startsOn,
    ...(assignments.stated.length > 0 ? { assignments: assignments.list } : {}),
  };
  const valid = validate(candidate, fieldOf, errors, warnings);
  if (errors.length > 0) return row('error');
  const { assignments: _wanted, ...fields } = valid;
  if (!found) {
    const columns = eventColumns({ ...fields, ownerId: fields.ownerId ?? actor.personId });
    columns.isActive = fields.isActive ?? false;
    return row('create', { changes: [], write: { kind: 'create', columns, assignments: assignments.list } });
  }
  // Only what the row states is compared (and would change); the rest of the event stays as it is.
  const stated = Object.fromEntries(Object.entries(fields).filter(([key]) => key in input));
  const columns = eventColumns(stated);
  const changed: string[] = changedColumns(found.row, columns);
  let wanted: Assignment[] | null = null;
  if (assignments.stated.length > 0) {
    const restated = new Set(assignments.list.map((a) => a.personId));
    const kept = found.assignments.filter(
      (a) => !assignments.stated.includes(a.role) && !restated.has(a.personId),
    );
    const next = [...kept, ...assignments.list];
    if (!sameAssignments(found.assignments, next)) {
      wanted = next;
      changed.push('assignments');
    }
  }
  const eventId = found.row.id;
  if (changed.length === 0) return row('unchanged', { eventId });
  if (!found.canManage) {
    errors.push({ field: 'name', message: 'matches an event outside your scope; you may not change it' });
    return row('error', { eventId, changes: changed });
  }
  const changedSet = new Set(changed);
  const patch = Object.fromEntries(
    Object.entries(columns).filter(([key]) => changedSet.has(key)),
  ) as EventColumns;
  return row('update', {
    eventId,
    changes: changed,
    write: {
      kind: 'update',
      eventId,
      version: found.row.version,
      columns: patch,
      changed,
      assignments: wanted,
    },
  });
}
