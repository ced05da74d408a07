import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import { auditEvents, orgSources, people, scimCredentials } from '../../src/server/db/schema.ts';
import { verifyAuditChain } from '../../src/server/modules/audit/audit.service.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { createCredential, revokeCredential } from '../../src/server/modules/scim/scim.credentials.ts';
import { type ScimAnswer as Answer, expectScimError, SCIM, scimClient } from '../helpers/scim.ts';
import { attemptSignIn, type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The SCIM 2.0 service provider as Okta drives it, in the manner of Okta's SCIM 2.0 spec test: discovery,
 * Users (create, duplicate, get, filter, paging, PUT, PATCH, DELETE), the enterprise extension and the
 * manager chain, deactivation that ends a signed-in person's session and tokens, authentication.
 */

let stack: TestStack;
let token: string;
const db = () => stack.db.database.db;
const scim = scimClient(
  () => stack.baseUrl,
  () => token,
);
const { USER, ENTERPRISE, PATCH_OP } = SCIM;

beforeAll(async () => {
  stack = await startStack();
  token = (await createCredential(db(), systemContext('test'), 'okta', new Date())).token;
});
afterAll(async () => {
  await stack?.close();
});

function oktaUser(userName: string, extra: Record<string, unknown> = {}) {
  const [given, family] = userName.split('@')[0]?.split('.') ?? ['x', 'y'];
  return {
    schemas: [USER],
    userName,
    name: { givenName: given, familyName: family ?? 'Doe' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `${given} ${family ?? 'Doe'}`,
    locale: 'en-US',
    externalId: `00u${userName.replace(/\W/g, '')}`,
    groups: [],
    password: 'Okta-Sent-Pa55word!',
    active: true,
    ...extra,
  };
}

async function createUser(userName: string, extra: Record<string, unknown> = {}) {
  const created = await scim('POST', '/Users', oktaUser(userName, extra));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string } & Record<string, unknown>;
}

async function row(id: string) {
  const [found] = await db().select().from(people).where(eq(people.id, id));
  if (!found) throw new Error(`no person ${id}`);
  return found;
}

async function auditOf(targetId: string) {
  return db().select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.seq);
}

describe('SCIM discovery', () => {
  it('states its capabilities truthfully', async () => {
    const config = await scim('GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.type).toMatch(/^application\/scim\+json/);
    expect(config.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
    });
    const types = await scim('GET', '/ResourceTypes');
    expect(types.body.totalResults).toBe(2);
    expect(types.body.Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
    expect((await scim('GET', '/ResourceTypes/User')).body).toMatchObject({
      endpoint: '/Users',
      schema: USER,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
    });
    expect((await scim('GET', '/ResourceTypes/Group')).body).toMatchObject({ endpoint: '/Groups' });
    const schemas = await scim('GET', '/Schemas');
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([
      USER,
      ENTERPRISE,
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ]);
    const user = await scim('GET', `/Schemas/${USER}`);
    const names = user.body.attributes.map((a: { name: string }) => a.name);
    expect(names).toEqual(expect.arrayContaining(['userName', 'name', 'emails', 'active', 'password']));
    expect(user.body.attributes.find((a: { name: string }) => a.name === 'password')).toMatchObject({
      returned: 'never',
      mutability: 'writeOnly',
    });
    expectScimError(await scim('GET', '/Schemas/urn:nope'), 404);
    expectScimError(await scim('GET', '/ResourceTypes/Device'), 404);
    expectScimError(await scim('GET', '/Schemas?filter=id%20eq%20%22x%22'), 403);
  });
});

describe('SCIM authentication', () => {
  it('refuses a missing, unknown or revoked credential with a SCIM 401, audited', async () => {
    expectScimError(await scim('GET', '/Users', undefined, { token: null }), 401);
    const unknown = `bi_scim_${'A'.repeat(43)}`;
    expectScimError(await scim('GET', '/Users', undefined, { token: unknown }), 401);
    expectScimError(await scim('GET', '/Nowhere', undefined, { token: null }), 401);
    const spare = await createCredential(db(), systemContext('test'), 'spare', new Date());
    expect((await scim('GET', '/Users', undefined, { token: spare.token })).status).toBe(200);
    await revokeCredential(db(), systemContext('test'), { name: 'spare' }, new Date());
    const revoked = await scim('POST', '/Users', oktaUser('never.created@example.com'), {
      token: spare.token,
    });
    expectScimError(revoked, 401);
    expect(await db().select().from(people).where(eq(people.userName, 'never.created@example.com'))).toEqual(
      [],
    );

    const failures = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'scim.auth.failed'))
      .orderBy(auditEvents.seq);
    const details = failures.map((f) => f.details as { reason: string; prefix: string | null });
    expect(details).toEqual(
      expect.arrayContaining([
        { reason: 'missing', prefix: null },
        { reason: 'unknown', prefix: unknown.slice(0, 13) },
        { reason: 'revoked', prefix: spare.prefix },
      ]),
    );
    expect(failures.every((f) => f.outcome === 'failure')).toBe(true);
    expect(JSON.stringify(failures)).not.toContain(spare.token);
    // Never logged either.
    expect(JSON.stringify(stack.logs)).not.toContain(spare.token);
    expect(JSON.stringify(stack.logs)).not.toContain(token);
  });

  it('is a credential of its own: a user API token is refused here, a SCIM credential elsewhere', async () => {
    const ari = await stack.signIn('Ari');
    const created = await ari.post('/api/v1/tokens', {
      name: 'scim?',
      scopes: ['insights:read'],
      expiresInDays: 7,
    });
    expect(created.status).toBe(201);
    const pat = ((await created.json()) as ApiTokenIssued).token;
    expectScimError(await scim('GET', '/Users', undefined, { token: pat }), 401);
    const elsewhere = await fetch(`${stack.baseUrl}/api/v1/insights`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // A session cookie does not make a SCIM request: the credential is what counts.
    const withCookie = await ari.get('/scim/v2/Users');
    expect(withCookie.status).toBe(401);
  });

  it('records last use of the credential and that the SCIM source was heard from', async () => {
    await scim('GET', '/Users');
    const [credential] = await db().select().from(scimCredentials).where(eq(scimCredentials.name, 'okta'));
    expect(credential?.lastUsedAt).toBeInstanceOf(Date);
    const [source] = await db().select().from(orgSources).where(eq(orgSources.id, 'scim'));
    expect(source?.lastSuccessAt).toBeInstanceOf(Date);
    // The request log names the credential by its prefix (never the token) and no person.
    const lines = stack.logs.filter((l) => l.msg === 'request completed' && l.route === '/scim/v2/Users');
    const ours = lines.filter((l) => l.status === 200 && l.scimCredential === token.slice(0, 13));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((l) => l.actorId === null)).toBe(true);
    expect(lines.find((l) => l.status === 401)?.scimCredential).toBeUndefined();
  });
});

describe('SCIM Users', () => {
  it('creates a user: 201 with Location and meta; the password is neither returned nor stored', async () => {
    const created = await scim(
      'POST',
      '/Users',
      oktaUser('grace.hopper@example.com', { title: 'Rear Admiral' }),
    );
    expect(created.status).toBe(201);
    const user = created.body;
    expect(created.location).toBe(`${stack.baseUrl}/scim/v2/Users/${user.id}`);
    expect(user).toMatchObject({
      schemas: [USER],
      userName: 'grace.hopper@example.com',
      active: true,
      name: { givenName: 'grace', familyName: 'hopper' },
      emails: [{ primary: true, value: 'grace.hopper@example.com', type: 'work' }],
      externalId: '00ugracehopperexamplecom',
      title: 'Rear Admiral',
      meta: { resourceType: 'User', location: created.location },
    });
    expect(Date.parse(user.meta.created)).not.toBeNaN();
    expect(user.password).toBeUndefined();
    expect(JSON.stringify(user)).not.toContain('Okta-Sent-Pa55word!');

    const person = await row(user.id);
    expect(person).toMatchObject({
      userName: 'grace.hopper@example.com',
      email: 'grace.hopper@example.com',
      displayName: 'grace hopper',
      externalId: '00ugracehopperexamplecom',
      title: 'Rear Admiral',
      status: 'active',
      orgSource: 'scim',
      issuer: null,
      subject: null,
    });
    expect(JSON.stringify(person)).not.toContain('Okta-Sent-Pa55word!');
    const events = await auditOf(user.id);
    expect(events.map((e) => e.action)).toEqual(['org.person.created']);
    expect(events[0]?.details).toEqual({
      source: 'scim',
      userName: 'grace.hopper@example.com',
      employeeNumber: null,
    });
    expect(JSON.stringify(events)).not.toContain('Okta-Sent-Pa55word!');
    expect((person.sourceRecords as Record<string, Record<string, unknown>>).scim).toMatchObject({
      userName: 'grace.hopper@example.com',
      active: true,
    });
  });

  it('refuses a duplicate userName in another case: 409 uniqueness', async () => {
    await createUser('alan.turing@example.com');
    const again = await scim('POST', '/Users', oktaUser('Alan.Turing@EXAMPLE.com'));
    expectScimError(again, 409, 'uniqueness');
    expect(again.body.detail).toContain('userName');
  });

  it('answers 404 in the SCIM Error schema for an unknown or malformed id', async () => {
    expectScimError(await scim('GET', '/Users/010745a4-0c4b-4b1a-8b7e-4e6b07e5e2a1'), 404);
    expectScimError(await scim('GET', '/Users/not-a-uuid'), 404);
    expectScimError(await scim('PUT', '/Users/not-a-uuid', oktaUser('x.y@example.com')), 404);
    expectScimError(
      await scim('PATCH', '/Users/010745a4-0c4b-4b1a-8b7e-4e6b07e5e2a1', {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      }),
      404,
    );
    expectScimError(await scim('DELETE', '/Users/010745a4-0c4b-4b1a-8b7e-4e6b07e5e2a1'), 404);
  });

  it('filters as Okta does: userName eq (case-insensitive), externalId, emails.value, active, and/or', async () => {
    const ada = await createUser('ada.lovelace@example.com');
    const list = async (filter: string) => {
      const answer = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}&startIndex=1&count=100`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };
    const byName = await list('userName eq "ADA.LOVELACE@example.com"');
    expect(byName).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 1,
      itemsPerPage: 1,
      startIndex: 1,
    });
    expect(byName.Resources[0].id).toBe(ada.id);
    expect((await list('userName eq "nobody@example.com"')).totalResults).toBe(0);
    expect((await list('externalId eq "00uadalovelaceexamplecom"')).Resources[0].id).toBe(ada.id);
    expect((await list('emails.value eq "Ada.Lovelace@example.com"')).Resources[0].id).toBe(ada.id);
    expect((await list('emails[type eq "work" and value eq "ada.lovelace@example.com"]')).totalResults).toBe(
      1,
    );
    expect((await list('emails[type eq "home" and value eq "ada.lovelace@example.com"]')).totalResults).toBe(
      0,
    );
    const both = await list(
      'userName eq "ada.lovelace@example.com" or userName eq "alan.turing@example.com"',
    );
    expect(both.totalResults).toBe(2);
    expect((await list('userName eq "ada.lovelace@example.com" and active eq true')).totalResults).toBe(1);
    expect((await list('userName eq "ada.lovelace@example.com" and active eq false')).totalResults).toBe(0);
    expect((await list('userName sw "ada." and not (title pr)')).totalResults).toBe(1);
    expectScimError(
      await scim('GET', `/Users?filter=${encodeURIComponent('userName eq')}`),
      400,
      'invalidFilter',
    );
    expectScimError(
      await scim('GET', `/Users?filter=${encodeURIComponent('shoeSize gt 10')}`),
      400,
      'invalidFilter',
    );
    expectScimError(await scim('GET', '/Users?count=abc'), 400, 'invalidValue');
  });

  it('pages with startIndex (1-based) and count, bounded, with the total', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await createUser(`page.user${i}@example.com`)).id);
    const filter = encodeURIComponent('userName sw "page.user"');
    const second = await scim('GET', `/Users?filter=${filter}&startIndex=2&count=2`);
    expect(second.body).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 2 });
    expect(second.body.Resources.map((r: { id: string }) => r.id)).toEqual(ids.slice(1, 3));
    const last = await scim('GET', `/Users?filter=${filter}&startIndex=5&count=2`);
    expect(last.body.Resources.map((r: { id: string }) => r.id)).toEqual([ids[4]]);
    const beyond = await scim('GET', `/Users?filter=${filter}&startIndex=9`);
    expect(beyond.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const onlyCount = await scim('GET', `/Users?filter=${filter}&count=0`);
    expect(onlyCount.body).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
    const clamped = await scim('GET', `/Users?filter=${filter}&startIndex=0&count=100000`);
    expect(clamped.body).toMatchObject({ totalResults: 5, itemsPerPage: 5, startIndex: 1 });
    const everyone = await scim('GET', '/Users');
    expect(everyone.body.itemsPerPage).toBe(everyone.body.totalResults);
    const projected = await scim('GET', `/Users?filter=${filter}&attributes=userName`);
    expect(Object.keys(projected.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('round-trips a full PUT, including the enterprise extension and attributes we only keep', async () => {
    const user = await createUser('katherine.johnson@example.com');
    const replacement = {
      schemas: [USER, ENTERPRISE],
      userName: 'katherine.johnson@example.com',
      externalId: '00ukatherine',
      name: { givenName: 'Katherine', familyName: 'Johnson', formatted: 'Katherine G. Johnson' },
      displayName: 'Katherine Johnson',
      title: 'Research Mathematician',
      emails: [
        { value: 'kj@example.com', type: 'home', primary: false },
        { value: 'katherine.johnson@example.com', type: 'work', primary: true },
      ],
      phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
      active: true,
      [ENTERPRISE]: { employeeNumber: 'E-KJ-1', department: 'Flight Research', costCenter: 'CC-7' },
      password: 'never-kept',
    };
    const put = await scim('PUT', `/Users/${user.id}`, replacement);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const got = await scim('GET', `/Users/${user.id}`);
    const { password: _password, ...expected } = replacement;
    expect(got.body).toMatchObject(expected);
    expect(got.body.password).toBeUndefined();
    expect(await row(user.id)).toMatchObject({
      displayName: 'Katherine Johnson',
      email: 'katherine.johnson@example.com',
      employeeNumber: 'E-KJ-1',
      department: 'Flight Research',
      title: 'Research Mathematician',
      externalId: '00ukatherine',
    });

    // A full replace clears what it leaves out.
    const { title: _title, [ENTERPRISE]: _ext, phoneNumbers: _p, ...bare } = expected;
    const cleared = await scim('PUT', `/Users/${user.id}`, { ...bare, schemas: [USER] });
    expect(cleared.status).toBe(200);
    expect(cleared.body.title).toBeUndefined();
    expect(cleared.body[ENTERPRISE]).toBeUndefined();
    expect(cleared.body.phoneNumbers).toBeUndefined();
    expect(await row(user.id)).toMatchObject({ title: null, department: null, employeeNumber: null });
    const updates = (await auditOf(user.id)).filter((e) => e.action === 'org.person.updated');
    expect(updates.map((e) => (e.details as { changed: string[] }).changed)).toEqual([
      expect.arrayContaining(['externalId', 'displayName', 'title', 'department', 'employeeNumber']),
      expect.arrayContaining(['title', 'department', 'employeeNumber']),
    ]);
  });

  it('PATCHes with and without a path, string booleans, extension paths; the password is ignored', async () => {
    const user = await createUser('mary.jackson@example.com');
    const patch = (Operations: unknown[]) =>
      scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations });
    const titled = await patch([
      { op: 'replace', path: 'title', value: 'Engineer' },
      { op: 'add', path: `${ENTERPRISE}:department`, value: 'Builder Relations' },
      { op: 'replace', value: { 'name.givenName': 'Mary', password: 'Sneaky-Pa55' } },
    ]);
    expect(titled.status, JSON.stringify(titled.body)).toBe(200);
    expect(titled.body).toMatchObject({
      title: 'Engineer',
      name: { givenName: 'Mary' },
      [ENTERPRISE]: { department: 'Builder Relations' },
    });
    expect(titled.body.schemas).toEqual([USER, ENTERPRISE]);
    expect(JSON.stringify(await row(user.id))).not.toContain('Sneaky-Pa55');
    expect(await row(user.id)).toMatchObject({
      title: 'Engineer',
      department: 'Builder Relations',
      builderRelations: true,
    });

    const off = await patch([{ op: 'replace', path: 'active', value: 'False' }]);
    expect(off.body.active).toBe(false);
    expect((await row(user.id)).status).toBe('deactivated');
    const on = await patch([{ op: 'Replace', value: { active: 'True' } }]);
    expect(on.body.active).toBe(true);
    expect((await row(user.id)).status).toBe('active');

    expectScimError(await patch([{ op: 'remove', path: 'userName' }]), 400, 'invalidValue');
    // A filtered path that matches nothing is treated as an add (RFC 7644 §3.5.2.3).
    const home = await patch([
      { op: 'replace', path: 'emails[type eq "home"].value', value: 'home@example.com' },
    ]);
    expect(home.body.emails).toEqual([
      { type: 'work', value: 'mary.jackson@example.com', primary: true },
      { type: 'home', value: 'home@example.com' },
    ]);
    expect((await row(user.id)).email).toBe('mary.jackson@example.com');
    expectScimError(await patch([{ op: 'remove' }]), 400);
    expectScimError(await patch([{ op: 'frobnicate', path: 'title', value: 'x' }]), 400, 'invalidValue');
    expectScimError(await scim('PATCH', `/Users/${user.id}`, { Operations: [] }), 400, 'invalidValue');
    expect((await row(user.id)).title).toBe('Engineer');
  });

  it('keeps the manager chain: resolves references (now or later), round-trips them, and refuses a loop', async () => {
    const boss = await createUser('dorothy.vaughan@example.com', {
      schemas: [USER, ENTERPRISE],
      [ENTERPRISE]: { employeeNumber: 'E-DV', department: 'Builder Relations' },
    });
    const report = await createUser('christine.darden@example.com', {
      schemas: [USER, ENTERPRISE],
      [ENTERPRISE]: { employeeNumber: 'E-CD', department: 'Builder Relations', manager: { value: 'E-DV' } },
    });
    expect(report[ENTERPRISE]).toEqual({
      employeeNumber: 'E-CD',
      department: 'Builder Relations',
      manager: { value: 'E-DV' },
    });
    expect(await row(report.id)).toMatchObject({
      managerId: boss.id,
      managerRef: 'E-DV',
      department: 'Builder Relations',
    });

    // Not yet provisioned: kept as a reference, resolved when the manager arrives.
    const waiting = await createUser('annie.easley@example.com', {
      schemas: [USER, ENTERPRISE],
      [ENTERPRISE]: { manager: { value: 'melba.roy@example.com' } },
    });
    expect(await row(waiting.id)).toMatchObject({ managerId: null, managerRef: 'melba.roy@example.com' });
    const melba = await createUser('melba.roy@example.com');
    expect((await row(waiting.id)).managerId).toBe(melba.id);

    // The boss reporting to her own report would loop: 400 invalidValue, nothing written.
    const loop = await scim('PATCH', `/Users/${boss.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: `${ENTERPRISE}:manager`, value: { value: report.id } }],
    });
    expectScimError(loop, 400, 'invalidValue');
    expect(loop.body.detail).toContain('manager');
    expect(await row(boss.id)).toMatchObject({ managerId: null, managerRef: null });
    const self = await scim('PUT', `/Users/${boss.id}`, {
      ...oktaUser('dorothy.vaughan@example.com'),
      schemas: [USER, ENTERPRISE],
      [ENTERPRISE]: { employeeNumber: 'E-DV', manager: { value: 'E-DV' } },
    });
    expectScimError(self, 400, 'invalidValue');
  });

  it('deactivates (path-less PATCH, as Okta sends it): the signed-in person’s session and API token stop at once', async () => {
    const ben = await stack.signIn('Ben');
    const issued = await ben.post('/api/v1/tokens', {
      name: 'cli',
      scopes: ['insights:read'],
      expiresInDays: 7,
    });
    expect(issued.status).toBe(201);
    const pat = ((await issued.json()) as ApiTokenIssued).token;
    const [before] = await db().select().from(people).where(eq(people.email, 'ben.carter@example.com'));

    // Okta assigns the app to Ben, who already signs in with SSO: the same person is adopted, not duplicated.
    const adopted = await createUser('ben.carter@example.com', {
      externalId: '00u-ben-carter',
      schemas: [USER, ENTERPRISE],
      [ENTERPRISE]: { employeeNumber: 'E1004', department: 'Builder Relations' },
    });
    expect(adopted.id).toBe(before?.id);
    expect(await row(adopted.id)).toMatchObject({
      orgSource: 'scim',
      status: 'active',
      builderRelations: true,
    });
    expect((await ben.get('/api/v1/me')).status).toBe(200);
    const bearer = (t: string) =>
      fetch(`${stack.baseUrl}/api/v1/insights`, { headers: { authorization: `Bearer ${t}` } });
    expect((await bearer(pat)).status).toBe(200);

    const off = await scim('PATCH', `/Users/${adopted.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await ben.get('/api/v1/me')).status).toBe(401);
    expect((await bearer(pat)).status).toBe(401);
    const signIn = await attemptSignIn(stack, 'Ben');
    expect(signIn.session).toBeNull();
    const deactivated = (await auditOf(adopted.id)).find((e) => e.action === 'org.person.deactivated');
    const ended = deactivated?.details as { source: string; sessionsEnded: number; tokensRevoked: number };
    expect(ended).toMatchObject({ source: 'scim', tokensRevoked: 1 });
    expect(ended.sessionsEnded).toBeGreaterThanOrEqual(1);

    const on = await scim('PATCH', `/Users/${adopted.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'active', value: true }],
    });
    expect(on.body.active).toBe(true);
    const again: Session = await stack.signIn('Ben');
    expect((await again.get('/api/v1/me')).status).toBe(200);
  });

  it('runs the lifecycle create → update → deactivate → reactivate → delete with its audit trail', async () => {
    const user = await createUser('hedy.lamarr@example.com');
    const id = user.id;
    const put = await scim('PUT', `/Users/${id}`, {
      ...oktaUser('hedy.lamarr@example.com'),
      title: 'Inventor',
    });
    expect(put.status).toBe(200);
    const patch = (value: unknown) =>
      scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value }] });
    expect((await patch({ active: false })).status).toBe(200);
    expect((await patch({ active: true })).status).toBe(200);
    const removed = await scim('DELETE', `/Users/${id}`);
    expect(removed.status).toBe(204);
    expect(removed.body).toBeNull();
    expectScimError(await scim('GET', `/Users/${id}`), 404);
    expect(
      (await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "hedy.lamarr@example.com"')}`)).body
        .totalResults,
    ).toBe(0);
    // Never erased: the person is kept, deactivated.
    expect(await row(id)).toMatchObject({
      status: 'deactivated',
      userName: 'hedy.lamarr@example.com',
      scimResource: null,
    });
    const actions = (await auditOf(id)).map((e) => e.action);
    expect(actions).toEqual([
      'org.person.created',
      'org.person.updated',
      'org.person.deactivated',
      'org.person.reactivated',
      'org.person.deactivated',
      'org.person.updated',
    ]);
    // Assigned again in the IdP: the same person comes back.
    const back = await scim('POST', '/Users', oktaUser('hedy.lamarr@example.com'));
    expect(back.status).toBe(201);
    expect(back.body.id).toBe(id);
    expect((await row(id)).status).toBe('active');
    expect((await verifyAuditChain(db())).ok).toBe(true);
    const [source] = await db().select().from(orgSources).where(eq(orgSources.id, 'scim'));
    expect(source?.lastError).toBeNull();
  });

  it('answers malformed requests with SCIM errors and writes nothing', async () => {
    const before = await db().select({ id: people.id }).from(people);
    const noName = await scim('POST', '/Users', { schemas: [USER], emails: [{ value: 'a@example.com' }] });
    expectScimError(noName, 400, 'invalidValue');
    expect(noName.body.detail).toContain('body.userName');
    expectScimError(
      await scim('POST', '/Users', { schemas: ['urn:other'], userName: 'x@example.com' }),
      400,
      'invalidValue',
    );
    const badEmail = await scim('POST', '/Users', {
      ...oktaUser('y@example.com'),
      emails: [{ value: 'not-an-email' }],
    });
    expectScimError(badEmail, 400, 'invalidValue');
    expect(badEmail.body.detail).toContain('emails.0.value');
    const noEmail = await scim('POST', '/Users', { schemas: [USER], userName: 'just-a-login' });
    expectScimError(noEmail, 400, 'invalidValue');
    expectScimError(await scim('POST', '/Users', '{"schemas":', {}), 400, 'invalidSyntax');
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const nested = await scim(
      'POST',
      '/Users',
      JSON.stringify(oktaUser('deep@example.com')).replace(/}$/, `,"x":${deep}}`),
    );
    expectScimError(nested, 400, 'invalidValue');
    expectScimError(await scim('POST', '/Users', 'userName=x', { type: 'text/plain' }), 415);
    expectScimError(
      await scim('POST', '/Users', { ...oktaUser('z@example.com'), pad: 'x'.repeat(1_100_000) }),
      413,
    );
    expect(await db().select({ id: people.id }).from(people)).toHaveLength(before.length);
    const plainJson = await scim('POST', '/Users', oktaUser('plain.json@example.com'), {
      type: 'application/json',
    });
    expect(plainJson.status).toBe(201);
    expect(plainJson.type).toMatch(/^application\/scim\+json/);
  });

  it('answers every unknown path and method under /scim/v2 with a SCIM 404', async () => {
    expectScimError(await scim('GET', '/Bulk'), 404);
    expectScimError(await scim('DELETE', '/ServiceProviderConfig'), 404);
    expectScimError(await scim('GET', '/Users/a/b'), 404);
  });
});

describe('SCIM rate limit', () => {
  it('answers 429 as a SCIM error once requests without a valid credential exceed their budget', async () => {
    let last: Answer | null = null;
    // Windows are fixed (per minute): a run that straddles a window boundary needs up to 60 + 61 requests.
    for (let i = 0; i < 125 && last?.status !== 429; i += 1) {
      last = await scim('GET', '/ServiceProviderConfig', undefined, { token: null });
    }
    expect(last).not.toBeNull();
    expectScimError(last as Answer, 429);
    // The identity provider's own budget is separate.
    expect((await scim('GET', '/ServiceProviderConfig')).status).toBe(200);
    const failures = await db()
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'scim.auth.failed'), inArray(auditEvents.outcome, ['failure'])));
    expect(failures.length).toBeLessThanOrEqual(130);
  });
});
