import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Db, queryRows } from '../../src/server/db/client.ts';
import { sessions } from '../../src/server/db/schema.ts';
import { evaluateAccess, sameAccess } from '../../src/server/modules/access/entitlements.engine.ts';
import {
  activeRuleSet,
  effectiveAccessFor,
  inputOf,
} from '../../src/server/modules/access/entitlements.service.ts';
import { filterGroups } from '../../src/server/modules/access/groups.ts';
import { reportingTreeSql } from '../../src/server/modules/access/scope.sql.ts';
import { modelVersion } from '../../src/server/modules/claims-model/claims-model.service.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import type { OidcClient } from '../../src/server/modules/identity/identity.oidc.ts';
import { findSessionByToken } from '../../src/server/modules/identity/identity.repo.ts';
import { hashToken, newToken } from '../../src/server/modules/identity/identity.tokens.ts';
import { resolveSession } from '../../src/server/modules/identity/session.service.ts';
import { startStack, type TestStack } from '../../test/helpers/stack.ts';
import { percentile, type Scenario } from '../harness.ts';

/**
 * The authorization decision every signed-in request makes: role and reporting scope re-derived from the
 * person's current org inputs, exactly as resolveSession does it once the session cookie has been matched to
 * its session and person row (that lookup is authentication, timed apart): the claims model (cached), its group
 * filter, one facts query — active rule set, direct reports in Builder Relations, unexpired exceptions — the
 * rule set (cached) and the pure entitlement engine, then the comparison with the session's stored access. The
 * person is a Builder Relations manager with 300 people in their reporting tree, in an org of 2,000. Scope
 * lives in the query (ARCHITECTURE §5): the decision yields `trees: [manager]`, and each scoped query walks the
 * tree itself; that walk is timed apart, as is the whole of resolveSession (details).
 *
 * Baseline, same run and database: one bare SQL query on a plain connection that fetches the inputs — the
 * person's row and group memberships — with no engine and no ORM.
 */

/** Bare SQL outside the app and the ORM: a plain pg connection to the stack's database, or PGlite's client. */
export interface RawSql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function rawSql(stack: TestStack): Promise<RawSql> {
  if (stack.db.url) {
    const client = new pg.Client({ connectionString: stack.db.url });
    await client.connect();
    return {
      query: async <T>(text: string, params: unknown[] = []) =>
        (await client.query(text, params)).rows as T[],
      close: () => client.end(),
    };
  }
  const client = (stack.db.database.db as unknown as { $client: PgliteLike }).$client;
  return {
    query: async <T>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows,
    close: async () => {},
  };
}

interface PgliteLike {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** Person n of the generated org has a stable id, so set-based SQL can wire the hierarchy without a lookup. */
const idSql = (n: string) => `md5('bench-authz-' || ${n})::uuid`;
export function generatedPersonId(n: number): string {
  const hex = createHash('md5').update(`bench-authz-${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * An org of `size` SCIM-provisioned people in one set-based pass. Person 1 is the Builder Relations manager:
 * 10 leads (2‥11) report to them and 290 engineers (12‥301) to the leads — 300 people under them, 301 in the
 * tree. Person 0 heads the org; everyone from 302 on sits under 20 other managers. Team groups (br-team-*),
 * builder-relations and the SCIM group memberships match `people.groups`, as SCIM leaves them.
 */
export async function generateOrg(db: Db, size = 2_000): Promise<{ managerId: string; treeSize: number }> {
  const last = size - 1;
  await db.execute(
    sql.raw(`
    insert into people (id, email, display_name, user_name, external_id, employee_number, org_source, status,
      builder_relations, department, title, team, groups, scim_resource, created_at, updated_at)
    select ${idSql('n')},
      'bench.person' || n || '@example.com', 'Bench Person ' || n, 'bench.person' || n || '@example.com',
      '00ubench' || n, 'BENCH-' || n, 'scim', 'active',
      n between 1 and 301,
      case when n between 1 and 301 then 'Builder Relations' else 'Engineering' end,
      case when n = 1 then 'Director, Builder Relations' when n between 2 and 11 or n between 302 and 321
        then 'Manager' else 'Engineer' end,
      case when n between 1 and 301 then (array['emea', 'amer', 'apac'])[1 + n % 3] end,
      case when n between 1 and 301
        then jsonb_build_array('br-team-' || (array['emea', 'amer', 'apac'])[1 + n % 3], 'builder-relations')
        else '[]'::jsonb end,
      jsonb_build_object('userName', 'bench.person' || n || '@example.com', 'active', true,
        'emails', jsonb_build_array(jsonb_build_object('value', 'bench.person' || n || '@example.com',
          'primary', true))),
      now(), now()
    from generate_series(0, ${last}) n`),
  );
  await db.execute(
    sql.raw(`
    update people p set manager_id = ${idSql('m.parent')}
    from (select n, case when n = 1 then 0 when n <= 11 then 1 when n <= 301 then 2 + (n - 12) % 10
                    when n <= 321 then 0 else 302 + (n - 322) % 20 end as parent
          from generate_series(1, ${last}) n) m
    where p.id = ${idSql('m.n')}`),
  );
  await db.execute(
    sql.raw(`
    insert into scim_groups (display_name)
    select distinct g from people, jsonb_array_elements_text(groups) g where employee_number like 'BENCH-%'
    on conflict do nothing`),
  );
  await db.execute(
    sql.raw(`
    insert into scim_group_members (group_id, person_id)
    select sg.id, p.id from people p cross join jsonb_array_elements_text(p.groups) g
    join scim_groups sg on lower(sg.display_name) = lower(g)
    where p.employee_number like 'BENCH-%'
    on conflict do nothing`),
  );
  const managerId = generatedPersonId(1);
  const [tree] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (${reportingTreeSql([managerId])}) t`,
  );
  return { managerId, treeSize: Number(tree?.n ?? 0) };
}

const BASELINE_SQL = `
  select p.*,
    coalesce((select json_agg(g.display_name order by g.display_name) from scim_group_members m
      join scim_groups g on g.id = m.group_id where m.person_id = p.id), '[]') as scim_groups
  from people p where p.id = $1`;

const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

export const authzScope: Scenario = {
  name: 'authz-scope',
  description: 'authorization decision for a manager of 300 (session → role + scope), in-process, p95',
  target: { kind: 'absolute_max', value: 1, unit: 'ms', note: 'p95, in-process' },
  async run(context) {
    const samples = context.smoke ? 200 : 3_000;
    const warmup = context.smoke ? 50 : 500;
    const stack = await startStack();
    const raw = await rawSql(stack);
    try {
      const db = stack.db.database.db;
      const { managerId, treeSize } = await generateOrg(db);
      if (treeSize !== 301) throw new Error(`the manager's tree has ${treeSize} people, expected 301`);

      const [person] = await queryRows<{
        id: string;
        status: 'active';
        groups: string[];
        builder_relations: boolean;
        department: string | null;
        title: string | null;
      }>(db, sql`select * from people where id = ${managerId}`);
      if (!person) throw new Error('no manager row');
      const facts = {
        id: person.id,
        status: person.status,
        groups: person.groups,
        builderRelations: person.builder_relations,
        department: person.department,
        title: person.title,
      };
      const start = new Date();
      const { access } = await effectiveAccessFor(db, facts, start);
      if (
        access?.role !== 'manager' ||
        access.scope.kind !== 'limited' ||
        access.scope.trees[0] !== managerId
      )
        throw new Error(`unexpected access for the manager: ${JSON.stringify(access)}`);
      const [model] = await queryRows<{ version: number }>(
        db,
        sql`select version from claims_models where status = 'active'`,
      );
      // A live SSO session with the role and scope it would be given, so resolving it writes nothing (no
      // rotation); last seen "later", so the once-a-minute touch does not fire mid-run either.
      const token = newToken();
      await db.insert(sessions).values({
        tokenHash: hashToken(token),
        personId: managerId,
        role: access.role,
        scope: access.scope,
        amr: ['pwd', 'mfa'],
        kind: 'sso',
        claimsModelVersion: Number(model?.version ?? 1),
        authTime: start,
        mfaAt: start,
        createdAt: start,
        lastSeenAt: new Date(start.getTime() + 60 * 60_000),
        idleExpiresAt: new Date(start.getTime() + 8 * 60 * 60_000),
        absoluteExpiresAt: new Date(start.getTime() + 12 * 60 * 60_000),
      });
      const deps = {
        db,
        // resolveSession never talks to the identity provider.
        oidc: null as unknown as OidcClient,
        config: stack.config,
        now: () => new Date(),
      };
      const ctx = systemContext('bench');
      const rules = await activeRuleSet(db);
      const input = inputOf(facts, 10);
      const found = await findSessionByToken(db, hashToken(token), new Date());
      if (!found) throw new Error('no bench session');

      const ours: number[] = [];
      const base: number[] = [];
      const whole: number[] = [];
      const lookup: number[] = [];
      const engine: number[] = [];
      const walk: number[] = [];
      for (let i = 0; i < warmup + samples; i += 1) {
        const measure = i >= warmup;
        // The decision, as resolveSession makes it after the session lookup.
        let t = performance.now();
        const now = new Date();
        const model = await modelVersion(db, Number(found.activeModelVersion));
        const groups = filterGroups(found.person.groups, model.groupFilter);
        const { access: derived } = await effectiveAccessFor(db, { ...found.person, groups }, now);
        const unchanged = derived !== null && sameAccess(derived, found.session);
        const decided = performance.now() - t;
        if (derived?.role !== 'manager' || !unchanged) throw new Error('the decision changed mid-run');

        t = performance.now();
        const [row] = await raw.query<{ scim_groups: unknown }>(BASELINE_SQL, [managerId]);
        const bare = performance.now() - t;
        if (!row) throw new Error('baseline found no person');

        t = performance.now();
        const resolved = await resolveSession(deps, ctx, token);
        const request = performance.now() - t;
        if (resolved?.actor.role !== 'manager') throw new Error('the session did not resolve to a manager');
        if (resolved.rotatedToken)
          throw new Error('the session rotated: the bench session is not in a steady state');

        t = performance.now();
        await findSessionByToken(db, hashToken(token), new Date());
        const authn = performance.now() - t;

        t = performance.now();
        evaluateAccess(input, rules.spec, [], new Date());
        const eng = performance.now() - t;

        if (measure) {
          ours.push(decided);
          base.push(bare);
          whole.push(request);
          lookup.push(authn);
          engine.push(eng);
        }
      }
      // What every scoped query embeds for this actor: the walk of the 301-person tree (sampled less often).
      const walkSamples = context.smoke ? 20 : 200;
      for (let i = 0; i < walkSamples + 10; i += 1) {
        const t = performance.now();
        await queryRows(db, sql`select count(*) from (${reportingTreeSql([managerId])}) t`);
        if (i >= 10) walk.push(performance.now() - t);
      }

      const p95 = percentile(ours, 95);
      const base95 = percentile(base, 95);
      const micros = (xs: number[]) => `${(percentile(xs, 95) * 1000).toFixed(0)} µs`;
      context.log(
        `decision p50 ${fmt(percentile(ours, 50))}, p95 ${fmt(p95)}, p99 ${fmt(percentile(ours, 99))}; ` +
          `bare SQL p50 ${fmt(percentile(base, 50))}, p95 ${fmt(base95)} (${samples} samples, ${context.database})`,
      );
      context.log(
        `whole resolveSession (session lookup + decision) p50 ${fmt(percentile(whole, 50))}, p95 ` +
          `${fmt(percentile(whole, 95))}; session lookup alone p95 ${fmt(percentile(lookup, 95))}; engine ` +
          `(evaluateAccess) p95 ${micros(engine)}; tree walk of ${treeSize} people p95 ${fmt(percentile(walk, 95))} ` +
          `(paid inside each scoped query)`,
      );
      return {
        ours: p95,
        baseline: base95,
        unit: 'ms',
        details:
          `p95 of ${samples} decisions (1 facts query + engine; claims model and rule set cached) for a manager of ` +
          `${treeSize - 1} in an org of 2,000 vs one bare SQL query for person + groups; with the session lookup ` +
          `(whole resolveSession) ${fmt(percentile(whole, 95))}; engine alone ${micros(engine)}; ` +
          `tree walk ${fmt(percentile(walk, 95))}`,
      };
    } finally {
      await raw.close();
      await stack.close();
    }
  },
};
