import canonicalize from 'canonicalize';
import { asc, ne } from 'drizzle-orm';
import {
  type AccessChange,
  type PreviewTotals,
  RULE_PREVIEW_MAX_CHANGES,
  type RulePreview,
} from '../../../contract/api/access.ts';
import type { RuleSetSpec } from '../../../contract/api/entitlements.ts';
import { describeScope, ROLE_LEVEL, type Role } from '../../../contract/roles.ts';
import type { Db } from '../../db/client.ts';
import { people } from '../../db/schema.ts';
import {
  type BatchFacts,
  evaluateWith,
  loadBatchFacts,
  loadRules,
  type Rules,
} from './entitlements.batch.ts';
import { type EvaluatedAccess, sameAccess } from './entitlements.engine.ts';
import type { PersonFacts } from './entitlements.service.ts';

/**
 * Who gains and who loses what under a proposed rule set: every non-deactivated person evaluated under the
 * active and the proposed rules with the same inputs the session code uses (groups through the claims model's
 * filter, direct reports in Builder Relations, unexpired exceptions). Loaded in a few queries, not per person.
 */

export interface PopulationPerson extends PersonFacts {
  displayName: string;
  email: string;
}

export interface Population {
  people: PopulationPerson[];
  facts: BatchFacts;
  rules: Rules;
}

export async function loadPopulation(db: Db, now: Date): Promise<Population> {
  const rules = await loadRules(db);
  const rows = await db
    .select({
      id: people.id,
      displayName: people.displayName,
      email: people.email,
      status: people.status,
      groups: people.groups,
      builderRelations: people.builderRelations,
      department: people.department,
      title: people.title,
    })
    .from(people)
    .where(ne(people.status, 'deactivated'))
    .orderBy(asc(people.displayName), asc(people.id));
  return { people: rows, facts: await loadBatchFacts(db, 'all', now), rules };
}

export function evaluatePerson(pop: Population, person: PopulationPerson, spec: RuleSetSpec, now: Date) {
  return evaluateWith(person, pop.facts, pop.rules, spec, now);
}

/** Rule ids added, removed or changed between two rule sets, and teamGroupPrefix / builderRelations when changed. */
export function changedRules(before: RuleSetSpec, after: RuleSetSpec): string[] {
  const byId = (spec: RuleSetSpec) => new Map(spec.rules.map((r) => [r.id, canonicalize(r)]));
  const a = byId(before);
  const b = byId(after);
  const ids = new Set([...a.keys(), ...b.keys()]);
  const changed = [...ids].filter((id) => a.get(id) !== b.get(id));
  changed.sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
  if (before.teamGroupPrefix !== after.teamGroupPrefix) changed.push('teamGroupPrefix');
  if (canonicalize(before.builderRelations) !== canonicalize(after.builderRelations))
    changed.push('builderRelations');
  return changed;
}

export function sameSpec(a: RuleSetSpec, b: RuleSetSpec): boolean {
  return canonicalize(a) === canonicalize(b);
}

/**
 * Why a proposal would be refused: no rule grants admin; the acting admin would lose admin (self-lockout); no
 * one would hold admin through a rule (exceptions expire, so they do not count).
 */
export function proposalBlockers(pop: Population, after: RuleSetSpec, actorId: string, now: Date): string[] {
  const blockers: string[] = [];
  if (!after.rules.some((r) => r.grant.role === 'admin')) blockers.push('No rule grants admin.');
  const me = pop.people.find((p) => p.id === actorId);
  const mine = me ? evaluatePerson(pop, me, after, now) : null;
  if (mine?.role !== 'admin')
    blockers.push('You would lose your own admin access under these rules (self-lockout).');
  const someAdminByRule = pop.people.some((p) =>
    evaluatePerson(pop, p, after, now)?.entitlements.some((e) => e.role === 'admin' && e.ruleId !== null),
  );
  if (!someAdminByRule) blockers.push('No one would be an admin through a rule.');
  return blockers;
}

function summary(access: EvaluatedAccess | null, nameOf: (id: string) => string | undefined) {
  if (!access) return { role: null, scopeLabel: 'No access' };
  return { role: access.role, scopeLabel: describeScope(access.scope, nameOf) };
}

const level = (a: { role: Role } | null) => (a ? ROLE_LEVEL[a.role] : 0);

export function previewChange(
  pop: Population,
  before: { version: number; spec: RuleSetSpec },
  after: RuleSetSpec,
  actorId: string,
  now: Date,
  limit = RULE_PREVIEW_MAX_CHANGES,
): RulePreview {
  const names = new Map(pop.people.map((p) => [p.id, p.displayName]));
  const nameOf = (id: string) => names.get(id);
  const totals: PreviewTotals = {
    evaluated: pop.people.length,
    changed: 0,
    gains: 0,
    losses: 0,
    accessGranted: 0,
    accessRemoved: 0,
    roleRaised: 0,
    roleLowered: 0,
    scopeChanged: 0,
  };
  const changes: AccessChange[] = [];
  for (const person of pop.people) {
    const b = evaluatePerson(pop, person, before.spec, now);
    const a = evaluatePerson(pop, person, after, now);
    const was = new Set(b?.entitlements.map((e) => e.reason) ?? []);
    const will = new Set(a?.entitlements.map((e) => e.reason) ?? []);
    const gained = [...will].filter((r) => !was.has(r));
    const lost = [...was].filter((r) => !will.has(r));
    const same = (b === null && a === null) || (b !== null && a !== null && sameAccess(b, a));
    if (same && gained.length === 0 && lost.length === 0) continue;
    totals.changed += 1;
    if (gained.length > 0) totals.gains += 1;
    if (lost.length > 0) totals.losses += 1;
    if (!b && a) totals.accessGranted += 1;
    else if (b && !a) totals.accessRemoved += 1;
    else if (level(a) > level(b)) totals.roleRaised += 1;
    else if (level(a) < level(b)) totals.roleLowered += 1;
    else if (!same) totals.scopeChanged += 1;
    if (changes.length < limit)
      changes.push({
        person: { id: person.id, name: person.displayName, email: person.email },
        before: summary(b, nameOf),
        after: summary(a, nameOf),
        gained,
        lost,
      });
  }
  return {
    baseVersion: before.version,
    changedRules: changedRules(before.spec, after),
    totals,
    changes,
    truncated: totals.changed > changes.length,
    blockers: proposalBlockers(pop, after, actorId, now),
  };
}
