import type { ClaimsModelSpec } from '../../../contract/api/claims-model.ts';
import { ROLE_LEVEL, type Role, type Scope } from '../../../contract/roles.ts';

export interface DerivedAccess {
  role: Role;
  scope: Scope;
  team: string | null;
  /** Which groups produced the role and scope: the first answer to "why does Ada have manager?". */
  provenance: { roleGroup: string; teamGroups: string[]; orgWideGroup: string | null };
}

/** The part of the trusted-claims model that turns groups into access. */
export type AccessRules = Pick<ClaimsModelSpec, 'roleGroups' | 'teamGroupPrefix' | 'orgWideGroups'> & {
  groupFilter?: ClaimsModelSpec['groupFilter'];
};

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/**
 * The groups that matter: those matching a configured prefix or `*` pattern (all of them when the filter is
 * empty). Only these are stored on the person, so unrelated directory groups never land in our database.
 */
export function filterGroups(groups: readonly string[], filter: AccessRules['groupFilter']): string[] {
  const unique = [...new Set(groups)];
  if (!filter || (filter.prefixes.length === 0 && filter.patterns.length === 0)) return unique;
  const patterns = filter.patterns.map(globToRegExp);
  return unique.filter(
    (g) => filter.prefixes.some((p) => g.startsWith(p)) || patterns.some((re) => re.test(g)),
  );
}

/**
 * First cut of the entitlement layer: IdP groups → role and reporting scope, from the trusted-claims model.
 * The org-aware entitlements issue adds rules over the authoritative org source; callers depend only on
 * DerivedAccess. Email domain is never consulted.
 *
 * - Only groups passing the model's filter count. The highest role any mapped group grants wins; no mapped
 *   group → no access (null).
 * - Team = groups with the team prefix (e.g. br-team-amer → "amer"). The first is the person's home team.
 * - Scope: admins and viewers read the whole org (viewers never write); members of an org-wide group too;
 *   everyone else reads their teams' insights plus their own.
 */
export function deriveAccess(groups: readonly string[], rules: AccessRules): DerivedAccess | null {
  const relevant = filterGroups(groups, rules.groupFilter);
  let best: { role: Role; group: string } | null = null;
  for (const group of relevant) {
    const role = rules.roleGroups[group];
    if (role && (!best || ROLE_LEVEL[role] > ROLE_LEVEL[best.role])) best = { role, group };
  }
  if (!best) return null;

  const teamGroups = relevant.filter(
    (g) => g.startsWith(rules.teamGroupPrefix) && g.length > rules.teamGroupPrefix.length,
  );
  const teams = teamGroups.map((g) => g.slice(rules.teamGroupPrefix.length));
  const orgWideGroup = relevant.find((g) => rules.orgWideGroups.includes(g)) ?? null;
  const orgWide = best.role === 'admin' || best.role === 'viewer' || orgWideGroup !== null;

  return {
    role: best.role,
    scope: orgWide ? { kind: 'org' } : { kind: 'teams', teams },
    team: teams[0] ?? null,
    provenance: { roleGroup: best.group, teamGroups, orgWideGroup },
  };
}

/** Same role and same reporting scope (team order does not matter). */
export function sameAccess(a: { role: Role; scope: Scope }, b: { role: Role; scope: Scope }): boolean {
  if (a.role !== b.role || a.scope.kind !== b.scope.kind) return false;
  if (a.scope.kind === 'org' || b.scope.kind === 'org') return true;
  const left = [...a.scope.teams].sort().join('\n');
  const right = [...b.scope.teams].sort().join('\n');
  return left === right;
}
