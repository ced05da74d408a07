import type { ClaimsModelSpec } from '../../../contract/api/claims-model.ts';

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/**
 * The groups that matter: those matching a configured prefix or `*` pattern (all of them when the filter is
 * empty). Only these are stored on the person, so unrelated directory groups never land in our database.
 */
export function filterGroups(groups: readonly string[], filter: ClaimsModelSpec['groupFilter']): string[] {
  const unique = [...new Set(groups)];
  if (filter.prefixes.length === 0 && filter.patterns.length === 0) return unique;
  const patterns = filter.patterns.map(globToRegExp);
  return unique.filter(
    (g) => filter.prefixes.some((p) => g.startsWith(p)) || patterns.some((re) => re.test(g)),
  );
}
