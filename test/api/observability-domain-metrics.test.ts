import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight, InsightBatchResult } from '../../src/contract/api/insights.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { orgSources, people, sessions } from '../../src/server/db/schema.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { createCredential } from '../../src/server/modules/scim/scim.credentials.ts';
import { collect, counter, type Labels, snapshot } from '../../src/server/observability/metrics.ts';
import { outboxInsight } from '../helpers/insights.ts';
import { SCIM, scimClient } from '../helpers/scim.ts';
import {
  attemptSignIn,
  personFor,
  type Session,
  startStack,
  stepUp,
  type TestStack,
} from '../helpers/stack.ts';

/**
 * The domain metrics move with real flows: sign-in outcomes, step-ups, ended sessions, global logouts, the
 * capture outbox's items (batch, attachment, edit, bug report), SCIM operations and org-source freshness read
 * at scrape time. Counters are process-wide, so every check is a delta around the flow.
 */
let stack: TestStack;
let scimToken: string;
let ari: Session;
const db = () => stack.db.database.db;
const scim = scimClient(
  () => stack.baseUrl,
  () => scimToken,
);

beforeAll(async () => {
  stack = await startStack();
  scimToken = (await createCredential(db(), systemContext('test'), 'okta', new Date())).token;
  ari = await stack.signIn('Ari');
});
afterAll(async () => {
  await stack?.close();
});

/** How much a counter series moved since this call. */
function track(name: string, labels: Labels) {
  const series = counter(name, '');
  const before = series.value(labels);
  return () => series.value(labels) - before;
}

function histogramSeries(name: string, labels: Labels) {
  const metric = snapshot().find((m) => m.name === name);
  const sample = metric?.samples.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels));
  return { count: sample?.value ?? 0, sum: sample?.histogram?.sum ?? 0 };
}

const sync = (kind: string, result: string) => track('bi_sync_items_total', { kind, result });

const newInsight = outboxInsight;

async function batch(who: Session, items: unknown[]) {
  const response = await who.post('/api/v1/insights/batch', { items });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as InsightBatchResult).results.map((r) => r.status);
}

describe('auth metrics', () => {
  it('count sign-ins by outcome and reason, and step-ups', async () => {
    const ok = track('bi_auth_sign_ins_total', { outcome: 'success', reason: 'ok' });
    const refused = track('bi_auth_sign_ins_total', { outcome: 'failure', reason: 'not_entitled' });
    const weak = track('bi_auth_sign_ins_total', { outcome: 'failure', reason: 'step_up_insufficient' });
    const stepUpOk = track('bi_auth_step_ups_total', { outcome: 'success' });
    const stepUpFailed = track('bi_auth_step_ups_total', { outcome: 'failure' });

    const priya = await stack.signIn('Priya', { auth: 'pwd' });
    expect(ok()).toBe(1);
    expect((await attemptSignIn(stack, 'Omar')).response.status).toBe(403);
    expect(refused()).toBe(1);

    expect((await stepUp(stack, priya, 'Priya', 'pwd')).status).toBe(403);
    expect([stepUpFailed(), weak(), stepUpOk()]).toEqual([1, 1, 0]);
    expect((await stepUp(stack, priya, 'Priya', 'mfa')).status).toBe(302);
    expect([stepUpOk(), stepUpFailed(), ok()]).toEqual([1, 1, 1]);

    // The step-up made Priya's session fresh: she ends Hannah's session.
    const ended = track('bi_auth_sessions_ended_total', { reason: 'admin' });
    const hannah = await stack.signIn('Hannah');
    const target = (await hannah.json<Me>('/api/v1/me')).session.id;
    expect((await priya.post(`/api/v1/admin/sessions/${target}/end`, {})).status).toBe(200);
    expect(ended()).toBe(1);
  });

  it('count global logouts by mechanism and the sessions they end', async () => {
    const universal = track('bi_auth_global_logouts_total', { mechanism: 'universal_logout' });
    const backchannel = track('bi_auth_global_logouts_total', { mechanism: 'backchannel_logout' });
    const endedByUniversal = track('bi_auth_sessions_ended_total', { reason: 'universal_logout' });
    const endedByBackchannel = track('bi_auth_sessions_ended_total', { reason: 'backchannel_logout' });

    await stack.signIn('Gustav');
    await stack.signIn('Gustav');
    const [gustav] = await db()
      .select()
      .from(people)
      .where(eq(people.subject, personFor('Gustav').sub));
    const open = await db()
      .select()
      .from(sessions)
      .where(eq(sessions.personId, gustav?.id ?? ''));
    const [delivery] = await stack.idp.emitLogout(personFor('Gustav').sub, 'universal');
    expect(delivery?.status).toBe(204);
    expect([universal(), endedByUniversal(), backchannel()]).toEqual([1, open.length, 0]);

    await stack.signIn('Fatima');
    const [sent] = await stack.idp.emitLogout(personFor('Fatima').sub, 'backchannel');
    expect(sent?.status).toBe(200);
    expect([backchannel(), endedByBackchannel()]).toEqual([1, 1]);
  });
});

describe('sync metrics', () => {
  it('count batch items by result, a resend as duplicates, and the batch sizes', async () => {
    const created = sync('insight', 'created');
    const duplicate = sync('insight', 'duplicate');
    const conflict = sync('insight', 'conflict');
    const rejected = sync('insight', 'rejected');
    const sizes = histogramSeries('bi_sync_batch_size', { kind: 'insight' });

    const items = [newInsight(), newInsight(), { ...newInsight(), sentiment: 'furious' }];
    expect(await batch(ari, items)).toEqual(['created', 'created', 'rejected']);
    // The answer was lost: the outbox sends the same batch again.
    expect(await batch(ari, items)).toEqual(['duplicate', 'duplicate', 'rejected']);
    const ben = await stack.signIn('Ben');
    expect(await batch(ben, [items[0]])).toEqual(['conflict']);

    expect([created(), duplicate(), conflict(), rejected()]).toEqual([2, 2, 1, 2]);
    const after = histogramSeries('bi_sync_batch_size', { kind: 'insight' });
    expect([after.count - sizes.count, after.sum - sizes.sum]).toEqual([3, 7]);
  });

  it('count attachment uploads, edits and bug reports from their answers', async () => {
    const answer = await ari.post('/api/v1/insights/batch', { items: [newInsight()] });
    const stored = ((await answer.json()) as InsightBatchResult).results[0]?.insight as Insight;

    const attachment = {
      created: sync('attachment', 'created'),
      duplicate: sync('attachment', 'duplicate'),
      rejected: sync('attachment', 'rejected'),
    };
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
      Buffer.alloc(40, 0x11),
      Buffer.from([0xff, 0xd9]),
    ]);
    const put = (id: string, type: string) =>
      ari.fetch(`/api/v1/insights/${stored.id}/attachments/${id}?kind=photo`, {
        method: 'PUT',
        headers: { 'content-type': type, 'x-csrf-token': ari.csrf },
        body: new Uint8Array(jpeg),
      });
    const photoId = randomUUID();
    expect((await put(photoId, 'image/jpeg')).status).toBe(201);
    expect((await put(photoId, 'image/jpeg')).status).toBe(200);
    expect((await put(randomUUID(), 'image/png')).status).toBe(415);
    expect([attachment.created(), attachment.duplicate(), attachment.rejected()]).toEqual([1, 1, 1]);

    const edit = {
      created: sync('edit', 'created'),
      conflict: sync('edit', 'conflict'),
      rejected: sync('edit', 'rejected'),
    };
    const path = `/api/v1/insights/${stored.id}`;
    expect((await ari.send('PATCH', path, { version: stored.version, text: 'Edited offline' })).status).toBe(
      200,
    );
    expect((await ari.send('PATCH', path, { version: stored.version, text: 'Stale edit' })).status).toBe(409);
    expect(
      (await ari.send('PATCH', path, { version: stored.version + 1, sentiment: 'furious' })).status,
    ).toBe(400);
    expect([edit.created(), edit.conflict(), edit.rejected()]).toEqual([1, 1, 1]);

    const bug = { created: sync('bug_report', 'created'), duplicate: sync('bug_report', 'duplicate') };
    const report = {
      id: randomUUID(),
      description: 'The Save button did nothing on the second tap',
      screen: 'capture',
      appVersion: '1.4.0+abc123',
      device: { platform: 'iOS', online: false },
      reportedAt: new Date(Date.now() - 60_000).toISOString(),
    };
    expect((await ari.post('/api/v1/bug-reports', report)).status).toBe(201);
    expect((await ari.post('/api/v1/bug-reports', report)).status).toBe(200);
    expect([bug.created(), bug.duplicate()]).toEqual([1, 1]);
  });
});

describe('SCIM metrics', () => {
  it('count operations by resource, operation and outcome, from the route template', async () => {
    const op = (resource: string, operation: string, outcome = 'success') =>
      track('bi_scim_operations_total', { resource, operation, outcome });
    const list = op('User', 'list');
    const create = op('User', 'create');
    const patch = op('User', 'patch');
    const remove = op('User', 'delete');
    const missing = op('User', 'get', 'client_error');
    const unauthenticated = op('User', 'list', 'client_error');
    const discovery = op('other', 'other');
    const groups = op('Group', 'list');

    expect((await scim('GET', '/Users?count=1')).status).toBe(200);
    const created = await scim('POST', '/Users', {
      schemas: [SCIM.USER],
      userName: 'metrics.person@example.com',
      name: { givenName: 'Metrics', familyName: 'Person' },
      emails: [{ primary: true, value: 'metrics.person@example.com', type: 'work' }],
      active: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const patched = await scim('PATCH', `/Users/${created.body.id}`, {
      schemas: [SCIM.PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(patched.status).toBe(200);
    expect((await scim('DELETE', `/Users/${created.body.id}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${randomUUID()}`)).status).toBe(404);
    expect((await scim('GET', '/Users', undefined, { token: null })).status).toBe(401);
    expect((await scim('GET', '/ServiceProviderConfig')).status).toBe(200);
    expect((await scim('GET', '/Groups')).status).toBe(200);

    expect([
      list(),
      create(),
      patch(),
      remove(),
      missing(),
      unauthenticated(),
      discovery(),
      groups(),
    ]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('org-source metrics', () => {
  const gaugeOf = async (name: string, source: string) =>
    (await collect()).find((m) => m.name === name)?.samples.find((s) => s.labels.source === source)?.value;

  it('read staleness and the age of the last success from the database at scrape time', async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await db()
      .insert(orgSources)
      .values({ id: 'hr', enabled: true, maxStalenessMinutes: 60, lastSuccessAt: twoHoursAgo })
      .onConflictDoUpdate({
        target: orgSources.id,
        set: { enabled: true, maxStalenessMinutes: 60, lastSuccessAt: twoHoursAgo },
      });
    expect(await gaugeOf('bi_org_source_stale', 'hr')).toBe(1);
    const age = (await gaugeOf('bi_org_source_last_success_age_seconds', 'hr')) ?? 0;
    expect(age).toBeGreaterThanOrEqual(7200);
    expect(age).toBeLessThan(7260);

    await db().update(orgSources).set({ maxStalenessMinutes: 180 }).where(eq(orgSources.id, 'hr'));
    expect(await gaugeOf('bi_org_source_stale', 'hr')).toBe(0);
    await db().delete(orgSources).where(eq(orgSources.id, 'scim'));
    // Never synced: age -1 (stale only if it manages people: the SCIM test user above was deleted).
    expect(await gaugeOf('bi_org_source_last_success_age_seconds', 'scim')).toBe(-1);
  });
});
