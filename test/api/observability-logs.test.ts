import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InsightBatchResult } from '../../src/contract/api/insights.ts';
import type { Me } from '../../src/contract/api/me.ts';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import { people } from '../../src/server/db/schema.ts';
import { displayName, loadWorkforce } from '../../src/server/devidp/workforce.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { createCredential } from '../../src/server/modules/scim/scim.credentials.ts';
import { outboxInsight } from '../helpers/insights.ts';
import { attemptSignIn, personFor, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The log stream of real flows (sign-in, a capture sync with a resend, an admin action, API token and SCIM
 * calls), read line by line as JSON: the sync and privileged-action lines are there with their ids, and no line
 * holds a person's e-mail or name, a session cookie, a CSRF token or a bearer credential.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

type Line = Record<string, unknown>;
const linesWith = (msg: string, match: Line = {}) =>
  stack.logs.filter((l) => l.msg === msg && Object.entries(match).every(([k, v]) => l[k] === v));

async function personId(who: string) {
  const [row] = await stack.db.database.db
    .select()
    .from(people)
    .where(eq(people.subject, personFor(who).sub));
  if (!row) throw new Error(`no person ${who}`);
  return row.id;
}

const newInsight = (overrides: Record<string, unknown> = {}) =>
  outboxInsight({ text: 'Ari Levy heard this at the booth from ben.carter@example.com', ...overrides });

describe('sync and privileged-action log lines', () => {
  const secrets: string[] = [];

  it('log a sync batch, each retry and each refused item by id, without content', async () => {
    const ari = await stack.signIn('Ari');
    secrets.push(ari.jar.get('127.0.0.1', 'bi_session') ?? 'missing-cookie', ari.csrf);
    const ariId = await personId('Ari');
    const good = newInsight();
    const bad = newInsight({ sentiment: 'furious' });
    for (let send = 0; send < 2; send += 1) {
      const response = await ari.post('/api/v1/insights/batch', { items: [good, bad] });
      expect(((await response.json()) as InsightBatchResult).results.map((r) => r.status)).toEqual([
        send === 0 ? 'created' : 'duplicate',
        'rejected',
      ]);
    }

    const batches = linesWith('sync batch', { sync: 'insight', actorId: ariId });
    expect(batches).toHaveLength(2);
    expect(batches[0]).toMatchObject({
      level: 30,
      items: 2,
      created: 1,
      duplicate: 0,
      rejected: 1,
      conflict: 0,
    });
    expect(batches[1]).toMatchObject({ items: 2, created: 0, duplicate: 1, rejected: 1 });
    expect(typeof batches[0]?.durationMs).toBe('number');
    expect(linesWith('sync retry', { itemId: good.id })).toEqual([
      expect.objectContaining({ level: 30, sync: 'insight', index: 0, result: 'duplicate', retry: true }),
    ]);
    const refused = linesWith('sync item refused', { itemId: bad.id });
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({
      level: 40,
      result: 'rejected',
      problem: 'invalid-request',
      fields: ['items[1].sentiment'],
      actorId: ariId,
    });
    // Single-item outbox routes log the same way: an edit refused for a stale version.
    const path = `/api/v1/insights/${good.id}`;
    expect((await ari.send('PATCH', path, { version: 1, text: 'Edited' })).status).toBe(200);
    expect((await ari.send('PATCH', path, { version: 1, text: 'Stale' })).status).toBe(409);
    expect(linesWith('sync item', { sync: 'edit', itemId: good.id, result: 'created' })).toHaveLength(1);
    expect(linesWith('sync item refused', { sync: 'edit', itemId: good.id })).toEqual([
      expect.objectContaining({ level: 40, result: 'conflict', problem: 'conflict', status: 409 }),
    ]);
  });

  it('log every audited action with actor, target, request and trace ids, failures as warnings', async () => {
    const omar = await attemptSignIn(stack, 'Omar');
    expect(omar.response.status).toBe(403);
    expect(linesWith('privileged action', { audit: 'auth.sign_in.failed' })).toEqual([
      expect.objectContaining({ level: 40, outcome: 'failure', actorId: null, targetType: 'person' }),
    ]);

    const priya = await stack.signIn('Priya', { auth: 'mfa' });
    const ben = await stack.signIn('Ben');
    secrets.push(
      priya.jar.get('127.0.0.1', 'bi_session') ?? 'missing-cookie',
      priya.csrf,
      ben.jar.get('127.0.0.1', 'bi_session') ?? 'missing-cookie',
      ben.csrf,
    );
    const priyaId = await personId('Priya');
    expect(linesWith('privileged action', { audit: 'auth.sign_in.succeeded', actorId: priyaId })).toEqual([
      expect.objectContaining({ level: 30, outcome: 'success', actorRole: 'admin', targetId: priyaId }),
    ]);

    const target = (await ben.json<Me>('/api/v1/me')).session.id;
    const traceId = randomBytes(16).toString('hex');
    const ended = await priya.post(
      `/api/v1/admin/sessions/${target}/end`,
      {},
      { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    );
    expect(ended.status).toBe(200);
    expect(linesWith('privileged action', { audit: 'auth.session.ended', targetId: target })).toEqual([
      expect.objectContaining({
        level: 30,
        outcome: 'success',
        actorId: priyaId,
        actorRole: 'admin',
        targetType: 'session',
        requestId: ended.headers.get('x-request-id'),
        traceId,
        auditId: expect.any(String),
      }),
    ]);
  });

  it('never write e-mail, names, cookies, CSRF tokens or bearer credentials', async () => {
    const ari = await stack.signIn('Ari');
    const issued = await ari.post('/api/v1/tokens', {
      name: 'CLI',
      scopes: ['insights:read'],
      expiresInDays: 7,
    });
    expect(issued.status).toBe(201);
    const { token } = (await issued.json()) as ApiTokenIssued;
    const bearer = await fetch(`${stack.baseUrl}/api/v1/insights`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bearer.status).toBe(200);
    const scim = (await createCredential(stack.db.database.db, systemContext('test'), 'okta', new Date()))
      .token;
    const users = await fetch(`${stack.baseUrl}/scim/v2/Users?count=1`, {
      headers: { authorization: `Bearer ${scim}` },
    });
    expect(users.status).toBe(200);
    secrets.push(token, scim);

    const forbidden = [...loadWorkforce().flatMap((p) => [p.email, displayName(p)]), ...secrets].map((s) =>
      s.toLowerCase(),
    );
    expect(stack.logs.length).toBeGreaterThan(20);
    const leaks = stack.logs.flatMap((line) => {
      const text = JSON.stringify(line).toLowerCase();
      return forbidden.filter((s) => text.includes(s)).map((s) => `${s} in ${text.slice(0, 300)}`);
    });
    expect(leaks).toEqual([]);
  });
});
