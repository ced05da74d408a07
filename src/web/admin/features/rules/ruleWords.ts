import type { EntitlementRule, RuleConditions } from '../../../../contract/api/entitlements.ts';
import { ROLE_LABEL, SCOPE_KIND_LABEL } from '../../../../contract/roles.ts';

const orList = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/** A rule's conditions in words: "in IdP group bi-managers and at least 1 direct report". */
export function conditionsInWords(when: RuleConditions): string {
  const parts: string[] = [];
  if (when.groupsAny !== undefined) parts.push(`in IdP group ${orList(when.groupsAny)}`);
  if (when.builderRelations !== undefined)
    parts.push(
      when.builderRelations ? 'in Builder Relations (org source)' : 'not in Builder Relations (org source)',
    );
  if (when.departments !== undefined) parts.push(`department is ${orList(when.departments)}`);
  if (when.titles !== undefined) parts.push(`title matches ${orList(when.titles)}`);
  if (when.minDirectReports !== undefined)
    parts.push(
      `at least ${when.minDirectReports} Builder Relations direct report${when.minDirectReports === 1 ? '' : 's'}`,
    );
  return parts.join(' and ');
}

/** "Manager · Reporting tree" */
export function grantInWords(grant: EntitlementRule['grant']): string {
  return `${ROLE_LABEL[grant.role]} · ${SCOPE_KIND_LABEL[grant.scope]}`;
}
