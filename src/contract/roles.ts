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

/**
 * What part of the org a person's reads cover. `org`: everything. `teams`: insights authored by members of the
 * listed teams, plus the person's own. Writes are decided per domain policy, not by scope alone.
 */
export type Scope = { kind: 'org' } | { kind: 'teams'; teams: string[] };

export function describeScope(scope: Scope): string {
  if (scope.kind === 'org') return 'Whole organization';
  if (scope.teams.length === 0) return 'Your own insights';
  return `Team${scope.teams.length > 1 ? 's' : ''} ${scope.teams.join(', ')}`;
}
