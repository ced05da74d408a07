import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/bi.ts';
import { scimCredentialCli } from '../../src/cli/scim.ts';
import type { RuleSetOverview, RuleSetProposed } from '../../src/contract/api/access.ts';
import {
  auditEvents,
  people,
  scimCredentials,
  scimGroupMembers,
  scimGroups,
} from '../../src/server/db/schema.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { createCredential } from '../../src/server/modules/scim/scim.credentials.ts';
import { isBuilderRelations } from '../../src/server/modules/scim/scim.mapping.ts';
import { refreshAllScimPeople } from '../../src/server/modules/scim/scim.membership.ts';
import { type ScimAnswer as Answer, expectScimError, SCIM, scimClient } from '../helpers/scim.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';

/**
 * SCIM Groups as Okta pushes them (create, filter, PATCH member add/remove, PUT, DELETE) and what membership
 * means for people (groups, team, Builder Relations, role on the next request); the credential CLI and admin
 * API; and /Groups at 10,000 users.
 */

let stack: TestStack;
let token: string;
const db = () => stack.db.database.db;
const scim = scimClient(
  () => stack.baseUrl,
  () => token,
);
const { USER, GROUP, ENTERPRISE, PATCH_OP } = SCIM;

beforeAll(async () => {
  stack = await startStack();
  token = (await createCredential(db(), systemContext('test'), 'okta', new Date())).token;
});
afterAll(async () => {
  await stack?.close();
});

async function user(userName: string, department?: string) {
  const created = await scim('POST', '/Users', {
    schemas: department ? [USER, ENTERPRISE] : [USER],
    userName,
    name: { givenName: userName.split('.')[0], familyName: 'Test' },
    emails: [{ value: userName, primary: true }],
    active: true,
    ...(department ? { [ENTERPRISE]: { department } } : {}),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

const patchGroup = (id: string, Operations: unknown[], query = '') =>
  scim('PATCH', `/Groups/${id}${query}`, { schemas: [PATCH_OP], Operations });

async function person(id: string) {
  const [row] = await db().select().from(people).where(eq(people.id, id));
  if (!row) throw new Error(`no person ${id}`);
  return row;
}

async function memberIds(groupId: string) {
  const rows = await db().select().from(scimGroupMembers).where(eq(scimGroupMembers.groupId, groupId));
  return rows.map((r) => r.personId).sort();
}

describe('SCIM Groups', () => {
  let alice: string;
  let bob: string;
  let carol: string;
  let team: string;

  beforeAll(async () => {
    alice = await user('alice.member@example.com');
    bob = await user('bob.member@example.com');
    carol = await user('carol.member@example.com', 'Field Marketing');
  });

  it('creates a group with members (201), refuses a duplicate name in another case (409)', async () => {
    const created = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'br-team-emea',
      members: [{ value: alice, display: 'alice' }, { value: bob }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    team = created.body.id;
    expect(created.body).toMatchObject({
      schemas: [GROUP],
      displayName: 'br-team-emea',
      meta: { resourceType: 'Group', location: `${stack.baseUrl}/scim/v2/Groups/${team}` },
    });
    expect(created.body.members.map((m: { value: string }) => m.value).sort()).toEqual([alice, bob].sort());
    expect(created.body.members.find((m: { value: string }) => m.value === alice).display).toBe('alice Test');
    expect(await person(alice)).toMatchObject({ groups: ['br-team-emea'], team: 'emea' });

    expectScimError(
      await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'BR-TEAM-EMEA' }),
      409,
      'uniqueness',
    );
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.targetId, team));
    expect(event).toMatchObject({
      action: 'org.group.created',
      details: { displayName: 'br-team-emea', members: 2 },
    });
    const got = await scim('GET', `/Users/${alice}`);
    expect(got.body.groups).toEqual([{ value: team, display: 'br-team-emea' }]);
  });

  it('filters by displayName (case-insensitive) and leaves members out when asked, as Okta does', async () => {
    const found = await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "BR-Team-EMEA"')}`);
    expect(found.body).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
    expect(found.body.Resources[0].members).toHaveLength(2);
    const lean = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "br-team-emea"')}&excludedAttributes=members`,
    );
    expect(lean.body.Resources[0]).toMatchObject({ id: team, displayName: 'br-team-emea' });
    expect(lean.body.Resources[0].members).toBeUndefined();
    const single = await scim('GET', `/Groups/${team}?excludedAttributes=members`);
    expect(single.body.members).toBeUndefined();
    const byMember = await scim('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${bob}"]`)}`);
    expect(byMember.body.Resources.map((g: { id: string }) => g.id)).toEqual([team]);
    expect(
      (await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "none"')}`)).body.totalResults,
    ).toBe(0);
    expectScimError(
      await scim('GET', `/Groups?filter=${encodeURIComponent('owner eq "x"')}`),
      400,
      'invalidFilter',
    );
    expectScimError(await scim('GET', '/Groups/not-a-uuid'), 404);
    expectScimError(await scim('GET', `/Groups/${randomUUID()}`), 404);
  });

  it('adds and removes members the way Okta PATCHes, answering 204; members’ groups follow', async () => {
    const add = await patchGroup(team, [
      { op: 'add', path: 'members', value: [{ value: carol, display: 'carol' }] },
    ]);
    expect(add.status).toBe(204);
    expect(add.body).toBeNull();
    expect(await memberIds(team)).toEqual([alice, bob, carol].sort());
    expect(await person(carol)).toMatchObject({ groups: ['br-team-emea'], team: 'emea' });

    const remove = await patchGroup(team, [{ op: 'remove', path: `members[value eq "${bob}"]` }]);
    expect(remove.status).toBe(204);
    expect(await memberIds(team)).toEqual([alice, carol].sort());
    expect(await person(bob)).toMatchObject({ groups: [], team: null });

    // Unknown members: 400 invalidValue, and nothing is written (carol stays, bob is not re-added).
    const bad = await patchGroup(team, [
      { op: 'remove', path: `members[value eq "${carol}"]` },
      { op: 'add', path: 'members', value: [{ value: bob }, { value: randomUUID() }, { value: 'okta-id' }] },
    ]);
    expectScimError(bad, 400, 'invalidValue');
    expect(bad.body.detail).toContain('okta-id');
    expect(await memberIds(team)).toEqual([alice, carol].sort());

    // Okta's path-less replace (rename) with the id repeated, and 200 with the group when attributes are asked for.
    const renamed = await patchGroup(
      team,
      [{ op: 'replace', value: { id: team, displayName: 'br-team-apac' } }],
      '?excludedAttributes=members',
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: team, displayName: 'br-team-apac' });
    expect(renamed.body.members).toBeUndefined();
    expect(await person(alice)).toMatchObject({ groups: ['br-team-apac'], team: 'apac' });

    const events = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, team))
      .orderBy(auditEvents.seq);
    expect(events.map((e) => [e.action, e.details])).toEqual([
      ['org.group.created', { displayName: 'br-team-emea', members: 2, added: [alice, bob] }],
      ['org.group.updated', { displayName: 'br-team-emea', added: [carol], removed: [] }],
      ['org.group.updated', { displayName: 'br-team-emea', added: [], removed: [bob] }],
      [
        'org.group.updated',
        { displayName: 'br-team-apac', added: [], removed: [], renamedFrom: 'br-team-emea' },
      ],
    ]);
    expectScimError(
      await patchGroup(team, [{ op: 'replace', path: 'owner', value: 'x' }]),
      400,
      'invalidPath',
    );
    expectScimError(await patchGroup(team, [{ op: 'remove', path: 'displayName' }]), 400);
    expectScimError(
      await patchGroup(randomUUID(), [{ op: 'add', path: 'members', value: [{ value: alice }] }]),
      404,
    );
  });

  it('replaces name and members with PUT, and deletes (204): members lose the group', async () => {
    const put = await scim('PUT', `/Groups/${team}`, {
      schemas: [GROUP],
      displayName: 'br-team-latam',
      members: [{ value: bob }, { value: carol }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.displayName).toBe('br-team-latam');
    expect(put.body.members.map((m: { value: string }) => m.value).sort()).toEqual([bob, carol].sort());
    expect(await person(alice)).toMatchObject({ groups: [], team: null });
    expect(await person(bob)).toMatchObject({ groups: ['br-team-latam'], team: 'latam' });
    const [last] = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, team))
      .orderBy(auditEvents.seq)
      .then((e) => e.slice(-1));
    expect(last?.details).toEqual({
      displayName: 'br-team-latam',
      added: [bob],
      removed: [alice],
      renamedFrom: 'br-team-apac',
    });

    const other = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'other' });
    expectScimError(
      await scim('PUT', `/Groups/${other.body.id}`, { schemas: [GROUP], displayName: 'BR-TEAM-LATAM' }),
      409,
      'uniqueness',
    );
    expectScimError(
      await scim('PUT', `/Groups/${other.body.id}`, { schemas: [GROUP], members: [] }),
      400,
      'invalidValue',
    );

    const removed = await scim('DELETE', `/Groups/${team}`);
    expect(removed.status).toBe(204);
    expectScimError(await scim('GET', `/Groups/${team}`), 404);
    expect(await person(bob)).toMatchObject({ groups: [], team: null });
    expect(await db().select().from(scimGroups).where(eq(scimGroups.id, team))).toEqual([]);
    const [deleted] = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'org.group.deleted'));
    expect(deleted).toMatchObject({ targetId: team, details: { displayName: 'br-team-latam', members: 2 } });
  });

  it('re-derives Builder Relations when an approved rule set redefines it', async () => {
    const carol = await user('carol.devrel@example.com');
    const devrel = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'devrel',
      members: [{ value: carol }],
    });
    expect(devrel.status).toBe(201);
    expect((await person(carol)).builderRelations).toBe(false);

    const priya = await stack.signIn('Priya', { auth: 'mfa' });
    const noah = await stack.signIn('Noah', { auth: 'mfa' });
    const { active } = await priya.json<RuleSetOverview>('/api/v1/entitlements/rules');
    const spec = {
      ...active.spec,
      builderRelations: { ...active.spec.builderRelations, scimGroups: ['builder-relations', 'devrel'] },
    };
    const proposed = await priya.post('/api/v1/entitlements/rules', {
      spec,
      reason: 'DevRel is Builder Relations',
    });
    expect(proposed.status).toBe(201);
    const { version, preview } = (await proposed.json()) as RuleSetProposed;
    expect(preview.changedRules).toEqual(['builderRelations']);
    // Pending: nothing changes until a second admin approves.
    expect((await person(carol)).builderRelations).toBe(false);
    const approved = await noah.post(`/api/v1/entitlements/rules/versions/${version.version}/approve`, {});
    expect(approved.status).toBe(200);
    expect((await person(carol)).builderRelations).toBe(true);

    const back = await priya.post('/api/v1/entitlements/rules', {
      spec: active.spec,
      reason: 'Restore for the other tests',
    });
    expect(back.status).toBe(201);
    const restored = ((await back.json()) as RuleSetProposed).version.version;
    expect((await noah.post(`/api/v1/entitlements/rules/versions/${restored}/approve`, {})).status).toBe(200);
    expect((await person(carol)).builderRelations).toBe(false);
  });

  it('derives Builder Relations from the builder-relations group or the department', async () => {
    const definition = { scimGroups: ['builder-relations'], departments: ['Builder Relations'] };
    expect(isBuilderRelations(['Builder-Relations'], null, definition)).toBe(true);
    expect(isBuilderRelations([], 'builder relations', definition)).toBe(true);
    expect(isBuilderRelations(['builder-relations-alumni'], 'Sales', definition)).toBe(false);
    expect(isBuilderRelations(['devrel'], null, { scimGroups: ['DevRel'], departments: [] })).toBe(true);
    expect((await person(alice)).builderRelations).toBe(false);
    const br = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'builder-relations',
      members: [{ value: alice }],
    });
    expect(br.status).toBe(201);
    expect((await person(alice)).builderRelations).toBe(true);
    await patchGroup(br.body.id, [{ op: 'replace', path: 'members', value: [] }]);
    expect((await person(alice)).builderRelations).toBe(false);
    await scim('PATCH', `/Users/${alice}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: `${ENTERPRISE}:department`, value: 'Builder Relations' }],
    });
    expect((await person(alice)).builderRelations).toBe(true);
    // Re-deriving everyone (after a claims-model or rule-set change) restores what memberships mean.
    await db()
      .update(people)
      .set({ groups: ['stale'], team: 'stale' })
      .where(eq(people.id, alice));
    expect(await refreshAllScimPeople(db(), new Date())).toBeGreaterThanOrEqual(1);
    expect(await person(alice)).toMatchObject({ groups: [], team: null, builderRelations: true });
  });

  it('takes a manager’s role away on their next request when the IdP removes them from bi-managers', async () => {
    const maya = await stack.signIn('Maya');
    const role = async () => (await maya.json<{ role: string }>('/api/v1/me')).role;
    expect(await role()).toBe('manager');
    // Provisioned by SCIM (adopted: she signed in before); SCIM now owns her groups.
    const id = await user('maya.patel@example.com', 'Builder Relations');
    const [signedIn] = await db().select().from(people).where(eq(people.email, 'maya.patel@example.com'));
    expect(id).toBe(signedIn?.id);
    const managers = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'bi-managers',
      members: [{ value: id }],
    });
    expect(managers.status).toBe(201);
    expect(await role()).toBe('manager');
    expect(
      await patchGroup(managers.body.id, [{ op: 'remove', path: `members[value eq "${id}"]` }]),
    ).toMatchObject({ status: 204 });
    expect(await person(id)).toMatchObject({ groups: [] });
    expect(await role()).toBe('advocate');
    await patchGroup(managers.body.id, [{ op: 'replace', value: { members: [{ value: id }] } }]);
    expect(await role()).toBe('manager');
  });
});

describe('SCIM credentials', () => {
  it('CLI: prints the token once; list shows only the prefix; revoke stops it', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const run = (sub: string, name?: string) =>
      scimCredentialCli(
        (work) => work(db()),
        sub,
        { name },
        (l) => out.push(l),
        (l) => err.push(l),
      );
    expect(await run('create', 'okta-rotation')).toBe(0);
    const issued = out.join('\n').match(/bi_scim_[A-Za-z0-9_-]{43}/g) ?? [];
    expect(issued).toHaveLength(1);
    const cliToken = issued[0] as string;
    expect((await scim('GET', '/ServiceProviderConfig', undefined, { token: cliToken })).status).toBe(200);
    out.length = 0;
    expect(await run('list')).toBe(0);
    expect(out.join('\n')).toContain(cliToken.slice(0, 13));
    expect(out.join('\n')).not.toContain(cliToken);
    expect(out.join('\n')).toMatch(/okta-rotation\s+active/);
    expect(await run('create', 'okta-rotation')).toBe(1);
    expect(err.join('\n')).toContain('already named');
    expect(await run('create')).toBe(2);
    expect(await run('rotate', 'x')).toBe(2);
    expect(await run('revoke', 'okta-rotation')).toBe(0);
    expect((await scim('GET', '/Users', undefined, { token: cliToken })).status).toBe(401);
    expect(await run('revoke', 'okta-rotation')).toBe(1);
    const [row] = await db().select().from(scimCredentials).where(eq(scimCredentials.name, 'okta-rotation'));
    expect(row?.status).toBe('revoked');
    expect(JSON.stringify(row)).not.toContain(cliToken);
    const actions = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, row?.id ?? ''));
    expect(actions.map((a) => a.action)).toEqual([
      'scim.credential.created',
      'scim.credential.revoked',
      'scim.auth.failed',
    ]);
  });

  it('CLI through `bi`: dispatches scim credential commands and lists them in help', async () => {
    const out: string[] = [];
    expect(
      await runCli(
        ['help'],
        (l) => out.push(l),
        () => {},
      ),
    ).toBe(0);
    expect(out.join('\n')).toContain('scim credential create --name <name>');
    const err: string[] = [];
    expect(
      await runCli(
        ['scim', 'credential', 'frob'],
        () => {},
        (l) => err.push(l),
        {
          DATA_DIR: `/tmp/bi-scim-cli-${process.pid}`,
          SESSION_SECRET: 'x'.repeat(40),
          ...(process.env.DATABASE_URL ? { DATABASE_URL: stack.db.url ?? '' } : {}),
        },
      ),
    ).toBe(2);
    expect(err.join('\n')).toContain('Unknown command "scim credential frob"');
  });

  it('admin API: admins list, create (token once, step-up) and revoke; others are refused', async () => {
    const priya = await stack.signIn('Priya', { auth: 'mfa' });
    const created = await priya.post('/api/v1/admin/scim/credentials', { name: 'okta-prod' });
    expect(created.status).toBe(201);
    const issued = (await created.json()) as { id: string; token: string; prefix: string; createdBy: string };
    expect(issued.token.startsWith(issued.prefix)).toBe(true);
    expect((await scim('GET', '/Users?count=1', undefined, { token: issued.token })).status).toBe(200);
    const list = await priya.json<{ items: { id: string; prefix: string; status: string }[] }>(
      '/api/v1/admin/scim/credentials',
    );
    expect(list.items.find((c) => c.id === issued.id)).toMatchObject({
      prefix: issued.prefix,
      status: 'active',
    });
    expect(JSON.stringify(list)).not.toContain(issued.token);
    const duplicate = await priya.post('/api/v1/admin/scim/credentials', { name: 'OKTA-PROD' });
    expect(duplicate.status).toBe(409);
    const bad = await priya.post('/api/v1/admin/scim/credentials', { name: '' });
    expect(bad.status).toBe(400);

    const ari = await stack.signIn('Ari');
    expect((await ari.get('/api/v1/admin/scim/credentials')).status).toBe(403);
    expect((await ari.post('/api/v1/admin/scim/credentials', { name: 'mine' })).status).toBe(403);
    expect((await ari.post(`/api/v1/admin/scim/credentials/${issued.id}/revoke`, {})).status).toBe(403);

    const revoked = await priya.post(`/api/v1/admin/scim/credentials/${issued.id}/revoke`, {});
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ status: 'revoked' });
    expect((await scim('GET', '/Users', undefined, { token: issued.token })).status).toBe(401);
    expect((await priya.post(`/api/v1/admin/scim/credentials/${issued.id}/revoke`, {})).status).toBe(409);
    const events = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, issued.id))
      .orderBy(auditEvents.seq);
    expect(events.slice(0, 2).map((e) => [e.action, e.actorId])).toEqual([
      ['scim.credential.created', issued.createdBy],
      ['scim.credential.revoked', issued.createdBy],
    ]);
  });
});

describe('SCIM /Groups at 10,000 users', () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

  async function timed(path: string, runs: number) {
    for (let i = 0; i < 3; i += 1) expect((await scim('GET', path)).status).toBe(200);
    const ms: number[] = [];
    let last: Answer | null = null;
    for (let i = 0; i < runs; i += 1) {
      const start = performance.now();
      last = await scim('GET', path);
      ms.push(performance.now() - start);
    }
    return { median: median(ms), last: last as Answer };
  }

  it('lists groups as Okta does within budget (one aggregate query per page)', {
    timeout: 240_000,
  }, async () => {
    const now = new Date();
    const ids: string[] = [];
    for (let chunk = 0; chunk < 10; chunk += 1) {
      const rows = Array.from({ length: 1_000 }, (_, i) => {
        const n = chunk * 1_000 + i;
        const id = randomUUID();
        ids.push(id);
        const userName = `load.user${n}@example.com`;
        return {
          id,
          email: userName,
          displayName: `Load User ${n}`,
          userName,
          externalId: `00uload${n}`,
          orgSource: 'scim' as const,
          status: 'active' as const,
          scimResource: { userName, emails: [{ value: userName, primary: true }], active: true },
          createdAt: now,
          updatedAt: now,
        };
      });
      await db().insert(people).values(rows);
    }
    const sizes = [10_000, 5_000, 2_000, 1_000, ...Array.from({ length: 16 }, () => 100)];
    const groups = await db()
      .insert(scimGroups)
      .values(sizes.map((_, i) => ({ displayName: `load-group-${i}`, createdAt: now, updatedAt: now })))
      .returning();
    const memberships = groups.flatMap((g, i) =>
      ids.slice(0, sizes[i]).map((personId) => ({ groupId: g.id, personId })),
    );
    for (let i = 0; i < memberships.length; i += 5_000) {
      await db()
        .insert(scimGroupMembers)
        .values(memberships.slice(i, i + 5_000));
    }
    expect(memberships.length).toBe(19_600);

    const lean = await timed('/Groups?excludedAttributes=members', 9);
    const full = await timed('/Groups', 5);
    const byName = await timed(
      `/Groups?filter=${encodeURIComponent('displayName eq "load-group-0"')}&excludedAttributes=members`,
      9,
    );
    const users = await timed(
      `/Users?filter=${encodeURIComponent('userName eq "load.user9999@example.com"')}`,
      9,
    );
    const database = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
    console.log(
      `[scim perf, ${database}] GET /Groups?excludedAttributes=members median ${lean.median.toFixed(1)} ms; ` +
        `GET /Groups (members inline, ${full.last.body.Resources.reduce((n: number, g: { members?: unknown[] }) => n + (g.members?.length ?? 0), 0)} members) median ${full.median.toFixed(1)} ms; ` +
        `displayName filter median ${byName.median.toFixed(1)} ms; userName filter median ${users.median.toFixed(1)} ms`,
    );
    expect(lean.last.body.totalResults).toBeGreaterThanOrEqual(20);
    expect(lean.last.body.Resources.every((g: { members?: unknown }) => g.members === undefined)).toBe(true);
    const big = full.last.body.Resources.find(
      (g: { displayName: string }) => g.displayName === 'load-group-0',
    );
    expect(big.members).toHaveLength(10_000);
    expect(users.last.body.totalResults).toBe(1);
    expect(lean.median).toBeLessThanOrEqual(100);

    // A change to the 10,000-member group re-derives every member in bulk.
    const rename = await patchGroup(groups[0]?.id ?? '', [
      { op: 'replace', path: 'displayName', value: 'load-group-renamed' },
    ]);
    expect(rename.status).toBe(204);
    const renamed = await db()
      .select({ groups: people.groups })
      .from(people)
      .where(inArray(people.id, [ids[0] ?? '', ids[9_999] ?? '']));
    expect(renamed.every((p) => p.groups.includes('load-group-renamed'))).toBe(true);
  });
});
