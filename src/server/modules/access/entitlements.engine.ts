import type { Entitlement, EntitlementRule, RuleSetSpec } from '../../../contract/api/entitlements.ts';
import {
  ROLE_LABEL,
  ROLE_LEVEL,
  type Role,
  SCOPE_KIND_LABEL,
  type Scope,
  type ScopeKind,
} from '../../../contract/roles.ts';

/**
 * The entitlement engine: identity and org inputs + the active rule set + unexpired exceptions → effective role,
 * reporting scope and, for each entitlement, the reason. Pure: the service loads the inputs, tests feed them
 * directly. E-mail domain is never an input.
 */

/** What the rules may look at, for one person. */
export interface EntitlementInput {
  personId: string;
  status: 'provisional' | 'active' | 'deactivated';
  /** Groups after the claims model's filter. */
  groups: readonly string[];
  builderRelations: boolean;
  department: string | null;
  title: string | null;
  /** Active direct reports who are in Builder Relations (the manager-chain position rules read). */
  directReportsInBr: number;
}

/** An approved, unexpired exception. */
export interface ExceptionGrant {
  id: string;
  role: Role;
  scopeKind: ScopeKind;
  scopeTarget: string | null;
  expiresAt: Date;
  justification: string;
}

export interface EvaluatedAccess {
  role: Role;
  scope: Scope;
  /** The person's teams (from team groups); the first is the home team. */
  teams: string[];
  entitlements: Entitlement[];
}

export function teamsFromGroups(groups: readonly string[], prefix: string): string[] {
  return groups
    .filter((g) => g.startsWith(prefix) && g.length > prefix.length)
    .map((g) => g.slice(prefix.length));
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 'i');
}

/** The facts that made a rule match, in words; null when it does not match. */
export function matchRule(rule: EntitlementRule, input: EntitlementInput): string[] | null {
  const w = rule.when;
  const facts: string[] = [];
  if (w.groupsAny) {
    const group = w.groupsAny.find((g) => input.groups.includes(g));
    if (!group) return null;
    facts.push(`in group ${group}`);
  }
  if (w.builderRelations !== undefined) {
    if (input.builderRelations !== w.builderRelations) return null;
    facts.push(w.builderRelations ? 'in Builder Relations' : 'not in Builder Relations');
  }
  if (w.departments) {
    const dept = input.department?.toLowerCase();
    const hit = w.departments.find((d) => d.toLowerCase() === dept);
    if (!hit) return null;
    facts.push(`department ${input.department}`);
  }
  if (w.titles) {
    const title = input.title ?? '';
    const hit = w.titles.find((t) => globToRegExp(t).test(title));
    if (!hit || !input.title) return null;
    facts.push(`title "${input.title}" matches "${hit}"`);
  }
  if (w.minDirectReports !== undefined) {
    if (input.directReportsInBr < w.minDirectReports) return null;
    const n = input.directReportsInBr;
    facts.push(`${n} direct report${n === 1 ? '' : 's'} in Builder Relations`);
  }
  return facts;
}

interface ScopeParts {
  all: boolean;
  teams: Set<string>;
  trees: Set<string>;
  units: Set<string>;
}

function widen(
  parts: ScopeParts,
  kind: ScopeKind,
  target: string | null,
  input: EntitlementInput,
  teams: string[],
) {
  if (kind === 'all') parts.all = true;
  else if (kind === 'team') for (const t of target ? [target] : teams) parts.teams.add(t);
  else if (kind === 'tree') parts.trees.add(target ?? input.personId);
  else if (kind === 'org_unit') {
    const unit = target ?? input.department;
    if (unit) parts.units.add(unit);
  }
}

function grantLabel(role: Role, kind: ScopeKind): string {
  return `${ROLE_LABEL[role]} (${SCOPE_KIND_LABEL[kind].toLowerCase()})`;
}

/** Effective access, or null when nothing grants any (no access, or deactivated). */
export function evaluateAccess(
  input: EntitlementInput,
  ruleSet: RuleSetSpec,
  exceptions: readonly ExceptionGrant[],
  now: Date,
): EvaluatedAccess | null {
  if (input.status === 'deactivated') return null;
  const teams = teamsFromGroups(input.groups, ruleSet.teamGroupPrefix);
  const parts: ScopeParts = { all: false, teams: new Set(), trees: new Set(), units: new Set() };
  const entitlements: Entitlement[] = [];
  let role: Role | null = null;
  const raise = (r: Role) => {
    if (!role || ROLE_LEVEL[r] > ROLE_LEVEL[role]) role = r;
  };

  for (const rule of ruleSet.rules) {
    const facts = matchRule(rule, input);
    if (!facts) continue;
    raise(rule.grant.role);
    widen(parts, rule.grant.scope, null, input, teams);
    entitlements.push({
      role: rule.grant.role,
      scopeKind: rule.grant.scope,
      source: rule.when.groupsAny ? 'idp_group' : 'org',
      ruleId: rule.id,
      exceptionId: null,
      expiresAt: null,
      reason: `${grantLabel(rule.grant.role, rule.grant.scope)} because rule ${rule.id} matched: ${facts.join(', ')}`,
    });
  }
  for (const ex of exceptions) {
    if (ex.expiresAt <= now) continue;
    raise(ex.role);
    widen(parts, ex.scopeKind, ex.scopeTarget, input, teams);
    const target = ex.scopeTarget ? ` ${ex.scopeTarget}` : '';
    entitlements.push({
      role: ex.role,
      scopeKind: ex.scopeKind,
      source: 'exception',
      ruleId: null,
      exceptionId: ex.id,
      expiresAt: ex.expiresAt.toISOString(),
      reason: `${grantLabel(ex.role, ex.scopeKind)}${target} because of an approved exception until ${ex.expiresAt.toISOString().slice(0, 10)}: ${ex.justification}`,
    });
  }
  if (!role) return null;
  const scope: Scope = parts.all
    ? { kind: 'all' }
    : {
        kind: 'limited',
        teams: [...parts.teams].sort(),
        trees: [...parts.trees].sort(),
        units: [...parts.units].sort(),
      };
  return { role, scope, teams, entitlements };
}

/** Same role and same reporting scope. */
export function sameAccess(a: { role: Role; scope: Scope }, b: { role: Role; scope: Scope }): boolean {
  return a.role === b.role && canonicalScope(a.scope) === canonicalScope(b.scope);
}

function canonicalScope(scope: Scope): string {
  if (scope?.kind === 'all') return 'all';
  if (scope?.kind !== 'limited') return 'unknown';
  const list = (xs: string[]) => [...xs].sort().join(',');
  return `limited|${list(scope.teams)}|${list(scope.trees)}|${list(scope.units)}`;
}

/** Version 1 of the rule set, from the deployment's environment (ROLE_GROUPS, TEAM_GROUP_PREFIX, ORG_WIDE_GROUPS). */
export function initialRuleSet(access: {
  roleGroups: Record<string, Role>;
  teamGroupPrefix: string;
  orgWideGroups: string[];
}): RuleSetSpec {
  const rules: EntitlementRule[] = [];
  const next = () => `R${rules.length + 1}`;
  for (const [group, role] of Object.entries(access.roleGroups)) {
    rules.push({
      id: next(),
      description: `Members of ${group} are ${ROLE_LABEL[role].toLowerCase()}s`,
      when: { groupsAny: [group] },
      grant: { role, scope: role === 'admin' || role === 'viewer' ? 'all' : 'team' },
    });
  }
  if (access.orgWideGroups.length > 0) {
    rules.push({
      id: next(),
      description: 'Members of the org-wide groups read reporting across the whole organization',
      when: { groupsAny: access.orgWideGroups },
      grant: { role: 'viewer', scope: 'all' },
    });
  }
  rules.push({
    id: next(),
    description: 'Builder Relations members (per the org source) capture and see their team',
    when: { builderRelations: true },
    grant: { role: 'advocate', scope: 'team' },
  });
  rules.push({
    id: next(),
    description:
      'Builder Relations members with Builder Relations direct reports manage their reporting tree',
    when: { builderRelations: true, minDirectReports: 1 },
    grant: { role: 'manager', scope: 'tree' },
  });
  return {
    teamGroupPrefix: access.teamGroupPrefix,
    rules,
    builderRelations: { scimGroups: ['builder-relations'], departments: ['Builder Relations'] },
  };
}
