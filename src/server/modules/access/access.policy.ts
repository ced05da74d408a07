import { ROLE_LEVEL, type Role, type Scope } from '../../../contract/roles.ts';
import type { Config } from '../../config.ts';

export interface DerivedAccess {
  role: Role;
  scope: Scope;
  team: string | null;
  /** Which groups produced the role and scope: the first answer to "why does Ada have manager?". */
  provenance: { roleGroup: string; teamGroups: string[]; orgWideGroup: string | null };
}

/**
 * First cut of the entitlement layer: IdP groups → role and reporting scope, from configuration.
 * The org-aware entitlements issue replaces this with rules over the authoritative org source; callers depend
 * only on DerivedAccess. Email domain is never consulted.
 *
 * - The highest role any mapped group grants wins; no mapped group → no access (null).
 * - Team = groups with the team prefix (e.g. br-team-amer → "amer"). The first is the person's home team.
 * - Scope: admins and viewers read the whole org (viewers never write); members of an org-wide group too;
 *   everyone else reads their teams' insights plus their own.
 */
export function deriveAccess(groups: readonly string[], access: Config['access']): DerivedAccess | null {
  let best: { role: Role; group: string } | null = null;
  for (const group of groups) {
    const role = access.roleGroups[group];
    if (role && (!best || ROLE_LEVEL[role] > ROLE_LEVEL[best.role])) best = { role, group };
  }
  if (!best) return null;

  const teamGroups = groups.filter(
    (g) => g.startsWith(access.teamGroupPrefix) && g.length > access.teamGroupPrefix.length,
  );
  const teams = teamGroups.map((g) => g.slice(access.teamGroupPrefix.length));
  const orgWideGroup = groups.find((g) => access.orgWideGroups.includes(g)) ?? null;
  const orgWide = best.role === 'admin' || best.role === 'viewer' || orgWideGroup !== null;

  return {
    role: best.role,
    scope: orgWide ? { kind: 'org' } : { kind: 'teams', teams },
    team: teams[0] ?? null,
    provenance: { roleGroup: best.group, teamGroups, orgWideGroup },
  };
}
