import { sql } from 'drizzle-orm';
import { RuleSetSpec } from '../../../contract/api/entitlements.ts';
import type { Role, ScopeKind } from '../../../contract/roles.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { accessExceptions, people } from '../../db/schema.ts';
import { versionCache } from '../../db/version-cache.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import {
  type EntitlementInput,
  type EvaluatedAccess,
  type ExceptionGrant,
  evaluateAccess,
} from './entitlements.engine.ts';
import * as repo from './rules.repo.ts';

export interface ActiveRuleSet {
  version: number;
  spec: RuleSetSpec;
}

const specs = versionCache((raw) => RuleSetSpec.parse(raw));

export function ruleSetSpecOf(db: Db, row: repo.RuleSetRow): RuleSetSpec {
  return specs.of(db, row.version, row.spec);
}

export async function ruleSetVersion(db: Db, version: number): Promise<RuleSetSpec> {
  const cached = specs.get(db, version);
  if (cached) return cached;
  const row = await repo.findRuleSet(db, version);
  if (!row) throw new Error(`entitlement rule set version ${version} does not exist`);
  return ruleSetSpecOf(db, row);
}

export async function activeRuleSet(db: Db): Promise<ActiveRuleSet> {
  const row = await repo.findActiveRuleSet(db);
  if (!row) throw new Error('no active entitlement rule set: ensureRuleSet runs at start-up');
  return { version: row.version, spec: ruleSetSpecOf(db, row) };
}

/** At start-up: version 1 from the deployment's environment when there is none yet (audited as a system change). */
export async function ensureRuleSet(
  db: Db,
  ctx: RequestContext,
  bootstrap: RuleSetSpec,
  now: Date,
): Promise<ActiveRuleSet> {
  return db.transaction(async (tx) => {
    await repo.lockRuleSets(tx);
    const current = await repo.findActiveRuleSet(tx);
    if (current) return { version: current.version, spec: ruleSetSpecOf(tx, current) };
    const spec = RuleSetSpec.parse(bootstrap);
    const version = (await repo.latestVersion(tx)) + 1;
    const reason = 'Initial configuration';
    await repo.insertRuleSet(tx, {
      version,
      spec,
      status: 'active',
      reason,
      createdAt: now,
      activatedAt: now,
    });
    await audit(tx, ctx, {
      action: 'entitlement_rules.activated',
      targetId: String(version),
      details: { version, previousVersion: null, reason, approvedBy: null },
    });
    return { version, spec };
  });
}

/** The person fields the engine reads (a people row satisfies it). */
export type PersonFacts = Pick<
  typeof people.$inferSelect,
  'id' | 'status' | 'groups' | 'builderRelations' | 'department' | 'title'
>;

interface FactsRow {
  rule_set_version: number | null;
  direct_reports: number;
  exceptions: RawException[] | string;
}

interface RawException {
  id: string;
  role: Role;
  scopeKind: ScopeKind;
  scopeTarget: string | null;
  expiresAt: string;
  justification: string;
}

interface LoadedFacts {
  ruleSetVersion: number;
  directReportsInBr: number;
  exceptions: ExceptionGrant[];
}

/** One round trip: the active rule-set version, direct reports in Builder Relations, unexpired exceptions. */
async function loadFacts(db: Db, personId: string | null, now: Date): Promise<LoadedFacts> {
  const id = personId ?? '00000000-0000-0000-0000-000000000000';
  const [row] = await queryRows<FactsRow>(
    db,
    sql`
    select
      (select version from entitlement_rule_sets where status = 'active') as rule_set_version,
      (select count(*)::int from ${people} r
         where r.manager_id = ${id} and r.builder_relations and r.status <> 'deactivated') as direct_reports,
      (select coalesce(json_agg(json_build_object(
          'id', e.id, 'role', e.role, 'scopeKind', e.scope_kind, 'scopeTarget', e.scope_target,
          'expiresAt', e.expires_at, 'justification', e.justification) order by e.requested_at), '[]'::json)
         from ${accessExceptions} e
         where e.subject_id = ${id} and e.status = 'active' and e.expires_at > ${now.toISOString()}::timestamptz
      ) as exceptions`,
  );
  if (!row) throw new Error('facts query returned no row');
  if (row.rule_set_version === null) throw new Error('no active entitlement rule set');
  const raw = typeof row.exceptions === 'string' ? JSON.parse(row.exceptions) : row.exceptions;
  return {
    ruleSetVersion: Number(row.rule_set_version),
    directReportsInBr: Number(row.direct_reports),
    exceptions: (raw as RawException[]).map((e) => ({ ...e, expiresAt: new Date(e.expiresAt) })),
  };
}

export interface EffectiveAccessResult {
  access: EvaluatedAccess | null;
  ruleSetVersion: number;
}

/**
 * A person's effective access right now: their org facts and groups, the active rule set and unexpired
 * exceptions. `person.id` may be null for someone signing in for the first time (no org facts, no exceptions).
 */
export async function effectiveAccessFor(
  db: Db,
  person: Omit<PersonFacts, 'id'> & { id: string | null },
  now: Date,
): Promise<EffectiveAccessResult> {
  const facts = await loadFacts(db, person.id, now);
  const spec = await ruleSetVersion(db, facts.ruleSetVersion);
  return {
    access: evaluateAccess(inputOf(person, facts.directReportsInBr), spec, facts.exceptions, now),
    ruleSetVersion: facts.ruleSetVersion,
  };
}

export function inputOf(
  person: Omit<PersonFacts, 'id'> & { id: string | null },
  directReportsInBr: number,
): EntitlementInput {
  return {
    personId: person.id ?? '00000000-0000-0000-0000-000000000000',
    status: person.status,
    groups: person.groups,
    builderRelations: person.builderRelations,
    department: person.department,
    title: person.title,
    directReportsInBr,
  };
}
