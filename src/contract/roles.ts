/**
 * The four-tier role model (ARCHITECTURE §2). Roles are derived from identity + org inputs; every role carries
 * a reporting scope. Dependency-free: the web apps import it.
 */
export const ROLES = ['viewer', 'advocate', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LEVEL: Record<Role, number> = { viewer: 25, advocate: 50, manager: 75, admin: 100 };

export const ROLE_LABEL: Record<Role, string> = {
  viewer: 'Viewer',
  advocate: 'Advocate',
  manager: 'Manager',
  admin: 'Admin',
};

export function atLeast(role: Role, minimum: Role): boolean {
  return ROLE_LEVEL[role] >= ROLE_LEVEL[minimum];
}

/** The kinds of reporting scope a rule or exception grants (ARCHITECTURE §2). */
export const SCOPE_KINDS = ['self', 'team', 'tree', 'org_unit', 'all'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const SCOPE_KIND_LABEL: Record<ScopeKind, string> = {
  self: 'Own insights',
  team: 'Team',
  tree: 'Reporting tree',
  org_unit: 'Org unit',
  all: 'Whole organization',
};

/**
 * What part of the org a person's reads cover: the union of every entitlement's scope. `all`: everything.
 * `limited`: the person's own insights, plus those authored by members of the listed teams, by anyone in the
 * reporting tree under each listed manager (person ids; the manager included), and by members of the listed
 * org units (departments). Writes are decided per domain policy, not by scope alone.
 */
export type Scope = { kind: 'all' } | { kind: 'limited'; teams: string[]; trees: string[]; units: string[] };

export const SELF_SCOPE: Scope = { kind: 'limited', teams: [], trees: [], units: [] };

/** A human summary; `nameOf` turns a tree's manager id into a name when the caller knows it. */
export function describeScope(
  scope: Scope,
  nameOf: (personId: string) => string | undefined = () => undefined,
): string {
  if (scope.kind === 'all') return 'Whole organization';
  const parts: string[] = [];
  if (scope.teams.length > 0)
    parts.push(`team${scope.teams.length > 1 ? 's' : ''} ${scope.teams.join(', ')}`);
  if (scope.trees.length > 0)
    parts.push(`reporting tree of ${scope.trees.map((id) => nameOf(id) ?? 'a manager').join(', ')}`);
  if (scope.units.length > 0)
    parts.push(`org unit${scope.units.length > 1 ? 's' : ''} ${scope.units.join(', ')}`);
  if (parts.length === 0) return 'Your own insights';
  return `Your own insights, ${parts.join('; ')}`;
}
