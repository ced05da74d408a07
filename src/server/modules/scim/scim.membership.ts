import { eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { people, scimGroupMembers, scimGroups } from '../../db/schema.ts';
import { teamsFromGroups } from '../access/entitlements.engine.ts';
import { activeRuleSet } from '../access/entitlements.service.ts';
import { filterGroups } from '../access/groups.ts';
import { activeModel } from '../claims-model/claims-model.service.ts';
import { isBuilderRelations } from './scim.mapping.ts';
import { fromJson, idList } from './scim-users.repo.ts';

const CHUNK = 2_000;

/**
 * Re-derive what SCIM memberships mean for these people: `groups` (their SCIM group names through the claims
 * model's group filter), `team` (the first team group under the rule set's prefix) and `builder_relations`
 * (isBuilderRelations). Entitlements are re-derived from these on every request, so an IdP group removal takes
 * effect on the member's next request. Set-based: one read and one write per 2,000 people. Returns how many
 * people changed.
 */
export async function refreshMembers(tx: Db, personIds: readonly string[], now: Date): Promise<number> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return 0;
  const [model, rules] = await Promise.all([activeModel(tx), activeRuleSet(tx)]);
  let changed = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await queryRows<{ id: string; department: string | null; names: unknown }>(
      tx,
      sql`select p.id, p.department,
            (select json_agg(g.display_name order by lower(g.display_name), g.display_name)
               from ${scimGroupMembers} m join ${scimGroups} g on g.id = m.group_id
              where m.person_id = p.id) as names
          from ${people} p
          where p.id in ${idList(ids.slice(i, i + CHUNK))} and p.org_source = 'scim'`,
    );
    const values = rows.map((r) => {
      const names = fromJson<string[]>(r.names, []);
      const groups = filterGroups(names, model.spec.groupFilter);
      return {
        id: r.id,
        groups,
        team: teamsFromGroups(groups, rules.spec.teamGroupPrefix)[0] ?? null,
        br: isBuilderRelations(names, r.department, rules.spec.builderRelations),
      };
    });
    if (values.length === 0) continue;
    const updated = await queryRows<{ id: string }>(
      tx,
      sql`update ${people} p
             set groups = v.groups, team = v.team, builder_relations = v.br, updated_at = ${now.toISOString()}::timestamptz
            from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id uuid, groups jsonb, team text, br boolean)
           where p.id = v.id
             and (p.groups is distinct from v.groups or p.team is distinct from v.team
                  or p.builder_relations is distinct from v.br)
          returning p.id`,
    );
    changed += updated.length;
  }
  return changed;
}

/**
 * Re-derive every SCIM-managed person (e.g. after the claims model's group filter or the rule set's team prefix
 * changed, which alters what their memberships mean). Returns how many people changed.
 */
export async function refreshAllScimPeople(tx: Db, now: Date): Promise<number> {
  const rows = await tx.select({ id: people.id }).from(people).where(eq(people.orgSource, 'scim'));
  return refreshMembers(
    tx,
    rows.map((r) => r.id),
    now,
  );
}
