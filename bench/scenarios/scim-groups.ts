import { sql } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { createCredential } from '../../src/server/modules/scim/scim.credentials.ts';
import { startStack } from '../../test/helpers/stack.ts';
import { percentile, type Scenario } from '../harness.ts';
import { type RawSql, rawSql } from './authz-scope.ts';

/**
 * GET /scim/v2/Groups as Okta pulls it, through the real app (bearer SCIM credential, rate limit, validation,
 * response serialization, HTTP): the default page (startIndex 1, count 100, members inline) and the next
 * count=100 page, at 10,000 SCIM users spread over ~250 groups. The headline is the slower of the two (p95).
 * The lean listing (excludedAttributes=members) is timed for context.
 *
 * Baseline, same run and database: bare SQL on a plain connection that reads the same page — the total, the
 * groups and their members (value, display) — set-based, with no app, ORM or HTTP in between.
 */

const GROUPS_PER_PAGE = 100;

/**
 * `users` SCIM-provisioned people and their groups, set-based. Groups, in creation order (the list's order):
 * all-staff (everyone), builder-relations (every 5th person), bi-admins/-managers/-viewers (a few), 40 team
 * groups br-team-* splitting Builder Relations, then 200 department groups splitting everyone. people.groups
 * is derived from the memberships as SCIM leaves it.
 */
export async function generateScimDirectory(db: Db, users: number) {
  await db.execute(
    sql.raw(`
    insert into people (id, email, display_name, user_name, external_id, org_source, status, builder_relations,
      department, title, scim_resource, created_at, updated_at)
    select md5('bench-scim-' || n)::uuid, 'load.user' || n || '@example.com', 'Load User ' || n,
      'load.user' || n || '@example.com', '00uload' || n, 'scim', 'active', n % 5 = 0,
      case when n % 5 = 0 then 'Builder Relations' else 'Department ' || (n % 200) end, 'Engineer',
      jsonb_build_object('userName', 'load.user' || n || '@example.com', 'active', true,
        'name', jsonb_build_object('givenName', 'Load', 'familyName', 'User ' || n),
        'emails', jsonb_build_array(jsonb_build_object('value', 'load.user' || n || '@example.com',
          'primary', true))),
      now(), now()
    from generate_series(0, ${users - 1}) n`),
  );
  // created_at a second apart, so the listing order (created_at, id) is this order.
  await db.execute(
    sql.raw(`
    insert into scim_groups (id, display_name, external_id, created_at, updated_at)
    select md5('bench-scim-group-' || name)::uuid, name, '00gload' || ord,
      now() - interval '1 day' + ord * interval '1 second', now()
    from (
      select name, ord from (values ('all-staff', 1), ('builder-relations', 2), ('bi-admins', 3),
        ('bi-managers', 4), ('bi-viewers', 5)) v(name, ord)
      union all select 'br-team-' || lpad(t::text, 2, '0'), 6 + t from generate_series(0, 39) t
      union all select 'dept-' || lpad(d::text, 3, '0'), 46 + d from generate_series(0, 199) d
    ) groups`),
  );
  await db.execute(
    sql.raw(`
    insert into scim_group_members (group_id, person_id)
    select md5('bench-scim-group-' || g)::uuid, md5('bench-scim-' || n)::uuid
    from generate_series(0, ${users - 1}) n,
      lateral (
        select 'all-staff' as g
        union all select 'builder-relations' where n % 5 = 0
        union all select 'bi-admins' where n < 5
        union all select 'bi-managers' where n % 5 = 0 and n % 250 = 0
        union all select 'bi-viewers' where n % 100 = 1
        union all select 'br-team-' || lpad(((n / 5) % 40)::text, 2, '0') where n % 5 = 0
        union all select 'dept-' || lpad((n % 200)::text, 3, '0')
      ) gs`),
  );
  await db.execute(
    sql.raw(`
    update people p set groups = m.names, updated_at = now()
    from (select m.person_id, jsonb_agg(g.display_name order by g.display_name) as names
          from scim_group_members m join scim_groups g on g.id = m.group_id group by m.person_id) m
    where p.id = m.person_id`),
  );
  for (const table of ['people', 'scim_groups', 'scim_group_members'])
    await db.execute(sql.raw(`analyze ${table}`));
  const [counts] = (
    (await db.execute(
      sql.raw(`select (select count(*)::int from scim_groups) as groups,
        (select count(*)::int from scim_group_members) as memberships`),
    )) as unknown as { rows: { groups: number; memberships: number }[] }
  ).rows;
  return { groups: Number(counts?.groups ?? 0), memberships: Number(counts?.memberships ?? 0) };
}

/**
 * The bare SQL for one page, as the essential work needs it: the total, the page of groups, then their members
 * (value, display) in one set-based aggregate — one hash join of the page's memberships to people, instead of a
 * correlated subquery per group that PostgreSQL also evaluates for the rows an offset skips.
 */
async function baselinePage(raw: RawSql, offset: number, limit: number, withMembers: boolean) {
  const [total] = await raw.query<{ n: number }>('select count(*)::int as n from scim_groups');
  const page = 'select * from scim_groups order by created_at, id limit $1 offset $2';
  const rows = withMembers
    ? await raw.query<{ id: string; members: unknown[] | null }>(
        `with page as (${page}),
          agg as (select m.group_id, json_agg(json_build_object('value', m.person_id, 'display', p.display_name)
              order by m.person_id) as members
            from scim_group_members m join people p on p.id = m.person_id
            where m.group_id in (select id from page) group by m.group_id)
        select page.*, agg.members from page left join agg on agg.group_id = page.id
        order by page.created_at, page.id`,
        [limit, offset],
      )
    : await raw.query<{ id: string; members: unknown[] | null }>(page, [limit, offset]);
  return { total: Number(total?.n ?? 0), rows };
}

interface Variant {
  label: string;
  path: string;
  offset: number;
  withMembers: boolean;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

export const scimGroups: Scenario = {
  name: 'scim-groups',
  description: 'SCIM GET /Groups at 10,000 users (default page and a count=100 page, members inline), p95',
  target: { kind: 'absolute_max', value: 100, unit: 'ms', note: 'p95 per page' },
  async run(context) {
    const users = context.smoke ? 2_000 : 10_000;
    const samples = context.smoke ? 8 : 30;
    const warmup = 3;
    const stack = await startStack();
    const raw = await rawSql(stack);
    try {
      const db = stack.db.database.db;
      let t = performance.now();
      const { groups, memberships } = await generateScimDirectory(db, users);
      context.log(
        `${users} SCIM users, ${groups} groups, ${memberships} memberships generated in ${fmt(performance.now() - t)}`,
      );
      const { token } = await createCredential(db, systemContext('bench'), 'okta-bench', new Date());
      const variants: Variant[] = [
        { label: 'default page', path: '/Groups', offset: 0, withMembers: true },
        {
          label: 'count=100 page 2',
          path: `/Groups?startIndex=${GROUPS_PER_PAGE + 1}&count=${GROUPS_PER_PAGE}`,
          offset: GROUPS_PER_PAGE,
          withMembers: true,
        },
        { label: 'lean page', path: '/Groups?excludedAttributes=members', offset: 0, withMembers: false },
      ];
      const call = async (path: string) => {
        const response = await fetch(`${stack.baseUrl}/scim/v2${path}`, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/scim+json' },
        });
        const text = await response.text();
        if (response.status !== 200)
          throw new Error(`GET ${path} → ${response.status}: ${text.slice(0, 300)}`);
        return text;
      };

      const results = [];
      for (const variant of variants) {
        const ours: number[] = [];
        const base: number[] = [];
        let bytes = 0;
        let members = 0;
        for (let i = 0; i < warmup + samples; i += 1) {
          t = performance.now();
          const text = await call(variant.path);
          const took = performance.now() - t;
          t = performance.now();
          const page = await baselinePage(raw, variant.offset, GROUPS_PER_PAGE, variant.withMembers);
          const bare = performance.now() - t;
          if (i === 0) {
            const body = JSON.parse(text) as {
              totalResults: number;
              Resources: { id: string; members?: unknown[] }[];
            };
            const expected = page.rows.map((r) => r.id).join();
            if (body.totalResults !== groups || body.Resources.map((r) => r.id).join() !== expected)
              throw new Error(`${variant.label}: the app's page differs from the bare SQL page`);
            bytes = text.length;
            members = body.Resources.reduce((n, r) => n + (r.members?.length ?? 0), 0);
            const bareMembers = page.rows.reduce((n, r) => n + (r.members?.length ?? 0), 0);
            if (members !== bareMembers)
              throw new Error(`${variant.label}: ${members} vs ${bareMembers} members`);
          }
          if (i >= warmup) {
            ours.push(took);
            base.push(bare);
          }
        }
        const result = {
          ...variant,
          p50: percentile(ours, 50),
          p95: percentile(ours, 95),
          base50: percentile(base, 50),
          base95: percentile(base, 95),
          bytes,
          members,
        };
        results.push(result);
        context.log(
          `GET ${variant.path} (${variant.label}, ${members} members inline, ${(bytes / 1024).toFixed(0)} KB): ` +
            `p50 ${fmt(result.p50)}, p95 ${fmt(result.p95)}; bare SQL p50 ${fmt(result.base50)}, ` +
            `p95 ${fmt(result.base95)}`,
        );
      }
      const judged = results.filter((r) => r.withMembers);
      const worst = judged.reduce((a, b) => (b.p95 > a.p95 ? b : a));
      const lean = results.find((r) => !r.withMembers);
      return {
        ours: worst.p95,
        baseline: worst.base95,
        unit: 'ms',
        details:
          `p95 of ${samples} GETs of the slower page (${worst.label}, ${worst.members} members inline) at ` +
          `${users} SCIM users / ${groups} groups vs the bare SQL for the same page; ` +
          judged.map((r) => `${r.label} ${fmt(r.p95)}`).join(', ') +
          (lean ? `; lean (excludedAttributes=members) ${fmt(lean.p95)}` : ''),
      };
    } finally {
      await raw.close();
      await stack.close();
    }
  },
};
