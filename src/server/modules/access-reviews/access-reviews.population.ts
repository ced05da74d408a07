import { and, inArray, isNotNull, ne, or } from 'drizzle-orm';
import type { RuleSetSpec } from '../../../contract/api/entitlements.ts';
import { atLeast } from '../../../contract/roles.ts';
import type { Db } from '../../db/client.ts';
import { people } from '../../db/schema.ts';
import { ConflictError } from '../../errors.ts';
import { loadBatchFacts, loadRules } from '../access/entitlements.batch.ts';
import {
  type EntitlementInput,
  type EvaluatedAccess,
  evaluateAccess,
  matchRule,
} from '../access/entitlements.engine.ts';
import { inputOf } from '../access/entitlements.service.ts';
import { filterGroups } from '../access/groups.ts';
import type { StoredEntitlement } from './access-reviews.repo.ts';

/**
 * Who a campaign reviews and who reviews them, computed in batch: the claims model and rule set once, then the
 * people, their Builder Relations direct-report counts and their unexpired exceptions in one query each, and the
 * engine in memory. No per-person queries.
 */
export type PersonRow = Pick<
  typeof people.$inferSelect,
  | 'id'
  | 'displayName'
  | 'email'
  | 'status'
  | 'groups'
  | 'builderRelations'
  | 'department'
  | 'title'
  | 'managerId'
>;

export interface Evaluated {
  person: PersonRow;
  input: EntitlementInput;
  access: EvaluatedAccess | null;
}

export interface OrgAccess {
  ruleSetVersion: number;
  spec: RuleSetSpec;
  byId: Map<string, Evaluated>;
}

const personColumns = {
  id: people.id,
  displayName: people.displayName,
  email: people.email,
  status: people.status,
  groups: people.groups,
  builderRelations: people.builderRelations,
  department: people.department,
  title: people.title,
  managerId: people.managerId,
};

/**
 * Evaluate everyone who is not deactivated (`all`), or the listed people — deactivated ones included so the
 * caller can tell them from unknown ids — together with their managers and `alsoIds`.
 */
export async function loadOrgAccess(
  db: Db,
  which: { all: true } | { ids: readonly string[]; alsoIds: readonly string[] },
  now: Date,
): Promise<OrgAccess> {
  const rules = await loadRules(db);
  let rows: PersonRow[];
  if ('all' in which) {
    rows = await db.select(personColumns).from(people).where(ne(people.status, 'deactivated'));
  } else {
    const ids = [...which.ids];
    const managers = db
      .select({ id: people.managerId })
      .from(people)
      .where(and(inArray(people.id, ids), isNotNull(people.managerId)));
    rows = await db
      .select(personColumns)
      .from(people)
      .where(
        or(
          inArray(people.id, [...ids, ...which.alsoIds]),
          and(inArray(people.id, managers), ne(people.status, 'deactivated')),
        ),
      );
  }
  const facts = await loadBatchFacts(
    db,
    rows.map((r) => r.id),
    now,
  );
  const byId = new Map<string, Evaluated>();
  for (const person of rows) {
    const input = inputOf(
      { ...person, groups: filterGroups(person.groups, rules.groupFilter) },
      facts.directReports.get(person.id) ?? 0,
    );
    const access = evaluateAccess(input, rules.spec, facts.exceptions.get(person.id) ?? [], now);
    byId.set(person.id, { person, input, access });
  }
  return { ruleSetVersion: rules.version, spec: rules.spec, byId };
}

const byName = (a: Evaluated, b: Evaluated) => {
  const [x, y] = [a.person.displayName, b.person.displayName];
  if (x !== y) return x < y ? -1 : 1;
  return a.person.id < b.person.id ? -1 : a.person.id > b.person.id ? 1 : 0;
};

/**
 * The population of a campaign, without deactivated people.
 * - privileged: effective role manager or admin, or any unexpired exception.
 * - builder_relations: the org source marks them as Builder Relations, or their effective role is advocate or
 *   above (whether from a rule or an exception) — everyone who can capture insights or sees Builder Relations data.
 * - custom: the listed people.
 */
export function selectPopulation(
  org: OrgAccess,
  kind: 'privileged' | 'builder_relations' | 'custom',
  personIds: readonly string[] = [],
): Evaluated[] {
  const active = (e: Evaluated | undefined): e is Evaluated =>
    Boolean(e && e.person.status !== 'deactivated');
  let chosen: Evaluated[];
  if (kind === 'custom') chosen = personIds.map((id) => org.byId.get(id)).filter(active);
  else
    chosen = [...org.byId.values()].filter(active).filter((e) => {
      if (kind === 'privileged')
        return Boolean(
          e.access &&
            (atLeast(e.access.role, 'manager') ||
              e.access.entitlements.some((x) => x.source === 'exception')),
        );
      return e.person.builderRelations || Boolean(e.access && atLeast(e.access.role, 'advocate'));
    });
  return chosen.sort(byName);
}

/** The subject's manager, when they can review: not the subject, not deactivated, and able to sign in. */
export function managerOf(org: OrgAccess, subject: Evaluated): Evaluated | null {
  const id = subject.person.managerId;
  if (!id || id === subject.person.id) return null;
  const manager = org.byId.get(id);
  if (!manager || manager.person.status === 'deactivated' || !manager.access) return null;
  return manager;
}

/** Admins other than `excludeId`, in a deterministic order (name, then id). */
export function adminsOf(org: OrgAccess, excludeId: string): Evaluated[] {
  return [...org.byId.values()]
    .filter(
      (e) => e.person.id !== excludeId && e.person.status !== 'deactivated' && e.access?.role === 'admin',
    )
    .sort(byName);
}

export interface PlannedItem {
  subjectId: string;
  reviewerId: string;
  source: StoredEntitlement['source'];
  entitlement: StoredEntitlement;
}

/**
 * One item per subject × entitlement × source. Reviewer: the subject's manager; else the campaign creator; else
 * (the creator is the subject) `otherAdmin`. Never the subject: if nobody else can review, the campaign is refused.
 */
export function planItems(
  org: OrgAccess,
  subjects: readonly Evaluated[],
  creator: { id: string; name: string },
  otherAdmin: Evaluated | null,
): PlannedItem[] {
  const items: PlannedItem[] = [];
  for (const subject of subjects) {
    if (!subject.access) continue;
    const manager = managerOf(org, subject);
    let reviewer: { id: string; name: string } | null = manager
      ? { id: manager.person.id, name: manager.person.displayName }
      : null;
    if (!reviewer && creator.id !== subject.person.id) reviewer = creator;
    if (!reviewer && otherAdmin && otherAdmin.person.id !== subject.person.id)
      reviewer = { id: otherAdmin.person.id, name: otherAdmin.person.displayName };
    if (!reviewer)
      throw new ConflictError(
        `Nobody but ${subject.person.displayName} could review their own access: they have no active manager ` +
          'and there is no other active admin. Assign a manager, or leave them out of a custom campaign.',
      );
    for (const e of subject.access.entitlements) {
      const rule = e.ruleId ? org.spec.rules.find((r) => r.id === e.ruleId) : undefined;
      items.push({
        subjectId: subject.person.id,
        reviewerId: reviewer.id,
        source: e.source,
        entitlement: {
          ...e,
          ruleSetVersion: org.ruleSetVersion,
          groups:
            e.source === 'idp_group' && rule?.when.groupsAny
              ? rule.when.groupsAny.filter((g) => subject.input.groups.includes(g))
              : [],
          facts: rule ? (matchRule(rule, subject.input) ?? []) : [],
          subjectName: subject.person.displayName,
          subjectEmail: subject.person.email,
          reviewerName: reviewer.name,
          decidedByName: null,
        },
      });
    }
  }
  return items;
}

/** Whether some subject has neither an eligible manager nor a reviewer in the creator (the creator themselves). */
export function needsOtherAdmin(org: OrgAccess, subjects: readonly Evaluated[], creatorId: string): boolean {
  return subjects.some((s) => s.access && s.person.id === creatorId && !managerOf(org, s));
}
