import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, EventList, EventPage, EventSession } from '../../src/contract/api/events.ts';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import { people } from '../../src/server/db/schema.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';
import {
  auditCount,
  auditOf,
  eventCount,
  fieldsOf,
  newEvent,
  ok,
  problem,
  remove,
  setUpWorld,
  type World,
} from './events.helpers.ts';

let stack: TestStack;
let w: World;
const base = '/api/v1/events';

beforeAll(async () => {
  stack = await startStack();
  w = await setUpWorld(stack);
});
afterAll(async () => {
  await stack?.close();
});

describe('events CRUD', () => {
  it('a manager creates, edits and deletes an event and its sessions, each write audited once', async () => {
    const { maya } = w.as;
    const created = await ok<EventDetail>(
      await maya.post(
        base,
        newEvent({
          name: '  Build   Day Austin ',
          quarter: 'Q4 FY27',
          slackChannel: '#build-austin',
          timezone: 'America/Chicago',
          techStack: ['Atlas', 'Go'],
          assignments: [
            { personId: w.id.ari, role: 'on_site' },
            { personId: w.id.ben, role: 'remote' },
          ],
        }),
      ),
      201,
    );
    expect(created).toMatchObject({
      name: 'Build Day Austin',
      owner: { id: w.id.maya, name: 'Maya Patel' },
      slackChannel: 'build-austin',
      version: 1,
      canManage: true,
      status: 'planning',
      assignedCount: 2,
      isActive: false,
    });
    expect(created.assignments.map((a) => [a.person.name, a.role, a.person.team])).toEqual([
      ['Ari Levy', 'on_site', 'amer'],
      ['Ben Carter', 'remote', 'amer'],
    ]);
    expect((await auditOf(stack, created.id)).map((a) => [a.action, a.details])).toEqual([
      ['event.created', { name: 'Build Day Austin', startsOn: '2026-11-10', ownerId: w.id.maya }],
    ]);

    const path = `${base}/${created.id}`;
    const edited = await ok<EventDetail>(
      await maya.send('PATCH', path, {
        version: 1,
        status: 'confirmed',
        isActive: true,
        assignments: [{ personId: w.id.ari, role: 'on_site' }],
      }),
    );
    expect(edited).toMatchObject({ version: 2, status: 'confirmed', isActive: true, assignedCount: 1 });
    const same = await ok<EventDetail>(await maya.send('PATCH', path, { version: 2, status: 'confirmed' }));
    expect(same.version).toBe(2);
    expect((await auditOf(stack, created.id)).map((a) => [a.action, a.details])).toEqual([
      ['event.created', expect.anything()],
      ['event.updated', { fromVersion: 1, toVersion: 2, changed: ['isActive', 'status', 'assignments'] }],
    ]);

    const session = await ok<EventSession>(
      await maya.post(`${path}/sessions`, {
        title: 'Opening talk',
        speaker: 'Maya Patel',
        startsAt: '2026-11-10T15:00:00Z',
        endsAt: '2026-11-10T16:00:00Z',
        audienceSize: 120,
      }),
      201,
    );
    expect(session).toMatchObject({ eventId: created.id, version: 1, insightCount: 0, audienceSize: 120 });
    const sessionPath = `${path}/sessions/${session.id}`;
    const renamed = await ok<EventSession>(
      await maya.send('PATCH', sessionPath, {
        version: 1,
        title: 'Opening keynote',
        commonQuestions: 'Pricing',
      }),
    );
    expect(renamed).toMatchObject({ title: 'Opening keynote', version: 2, commonQuestions: 'Pricing' });
    expect(
      await fieldsOf(await maya.send('PATCH', sessionPath, { version: 2, endsAt: '2026-11-10T14:00:00Z' })),
    ).toEqual(['body.endsAt']);
    expect(
      (await problem(await maya.send('PATCH', sessionPath, { version: 1, room: 'A' }), 409)).detail,
    ).toContain('now at version 2');
    const detail = await maya.json<EventDetail>(path);
    expect(detail.sessions.map((s) => s.title)).toEqual(['Opening keynote']);
    expect(detail.sessionCount).toBe(1);

    // Another event's session is not this event's: 404.
    const other = await w.event('MongoDB.local NYC');
    expect((await remove(maya, `${base}/${other}/sessions/${session.id}`)).status).toBe(404);
    expect((await remove(maya, sessionPath)).status).toBe(204);
    expect((await auditOf(stack, session.id)).map((a) => a.action)).toEqual([
      'event_session.created',
      'event_session.updated',
      'event_session.deleted',
    ]);

    expect((await remove(maya, path)).status).toBe(204);
    await problem(await maya.get(path), 404);
    expect((await auditOf(stack, created.id)).at(-1)).toMatchObject({
      action: 'event.deleted',
      details: { name: 'Build Day Austin', startsOn: '2026-11-10' },
    });
  });

  it('refuses a stale version with the current one, and a duplicate name + start day (any case, spacing)', async () => {
    const { maya, priya } = w.as;
    const event = await ok<EventDetail>(await maya.post(base, newEvent({ name: 'Data Summit Denver' })), 201);
    await ok(await priya.send('PATCH', `${base}/${event.id}`, { version: 1, location: 'Denver, CO' }));
    const before = await auditCount(stack, 'event.updated');
    const stale = await problem(
      await maya.send('PATCH', `${base}/${event.id}`, { version: 1, location: 'X' }),
      409,
    );
    expect(stale.detail).toContain('now at version 2');
    expect(stale.errors).toEqual([{ field: 'body.version', message: 'is 1; the current version is 2' }]);
    expect(await auditCount(stack, 'event.updated')).toBe(before);
    expect(await fieldsOf(await maya.post(base, newEvent({ name: 'data   SUMMIT denver' })), 409)).toEqual([
      'body.name',
    ]);
    // Another start day is another event.
    await ok(
      await maya.post(
        base,
        newEvent({ name: 'Data Summit Denver', startsOn: '2026-12-01', endsOn: '2026-12-01' }),
      ),
      201,
    );
  });

  it('answers 400 naming the field for bad input, stored dates included, and writes nothing', async () => {
    const { maya } = w.as;
    const rows = await eventCount(stack);
    const cases: [Record<string, unknown>, string][] = [
      [{ startsOn: '2026-11-10', endsOn: '2026-11-09' }, 'body.endsOn'],
      [{ timezone: 'Mars/Olympus' }, 'body.timezone'],
      [{ eventUrl: 'javascript:alert(1)' }, 'body.eventUrl'],
      [{ quarter: 'Q5 2026' }, 'body.quarter'],
      [{ slackChannel: '#Has Spaces' }, 'body.slackChannel'],
      [{ latitude: 91 }, 'body.latitude'],
      [{ status: 'maybe' }, 'body.status'],
      [{ name: '' }, 'body.name'],
      [
        {
          assignments: [
            { personId: w.id.ari, role: 'on_site' },
            { personId: w.id.ari, role: 'remote' },
          ],
        },
        'body.assignments',
      ],
    ];
    for (const [extra, field] of cases) {
      const fields = await fieldsOf(await maya.post(base, newEvent(extra)));
      expect({ extra, fields }).toEqual({ extra, fields: [field] });
    }
    const [gone] = await stack.db.database.db
      .insert(people)
      .values({ email: 'left@example.com', displayName: 'Left Company', status: 'deactivated' })
      .returning({ id: people.id });
    expect(
      await fieldsOf(
        await maya.post(
          base,
          newEvent({
            assignments: [
              { personId: w.id.ari, role: 'on_site' },
              { personId: gone?.id, role: 'remote' },
              { personId: '00000000-0000-4000-8000-000000000000', role: 'remote' },
            ],
          }),
        ),
      ),
    ).toEqual(['body.assignments.1.personId', 'body.assignments.2.personId']);
    expect(await fieldsOf(await maya.post(base, newEvent({ ownerId: gone?.id })))).toEqual(['body.ownerId']);
    expect(await eventCount(stack)).toBe(rows);

    // A partial edit is checked against the stored dates.
    const event = await ok<EventDetail>(await maya.post(base, newEvent()), 201);
    expect(
      await fieldsOf(await maya.send('PATCH', `${base}/${event.id}`, { version: 1, endsOn: '2026-11-01' })),
    ).toEqual(['body.endsOn']);
    expect(await fieldsOf(await maya.send('PATCH', `${base}/${event.id}`, { version: 1, nope: 1 }))).toEqual([
      'body.nope',
    ]);
    expect((await maya.json<EventDetail>(`${base}/${event.id}`)).version).toBe(1);
  });
});

describe('who may manage which events', () => {
  it('a manager manages events owned in their scope; another region’s event is readable but 403', async () => {
    const { maya, priya } = w.as;
    const berlin = await w.event('AI Builders Hackathon Berlin');
    const nyc = await w.event('MongoDB.local NYC');
    const updates = await auditCount(stack, 'event.updated');
    const refused = await maya.send('PATCH', `${base}/${berlin}`, { version: 1, status: 'cancelled' });
    expect((await problem(refused, 403)).detail).toContain('outside your reporting scope');
    expect((await maya.json<EventDetail>(`${base}/${berlin}`)).status).toBe('confirmed');
    expect(await auditCount(stack, 'event.updated')).toBe(updates);
    expect((await remove(maya, `${base}/${berlin}`)).status).toBe(403);
    expect((await maya.post(`${base}/${berlin}/sessions`, { title: 'x' })).status).toBe(403);

    // Owned by one of Maya's reports: hers to manage; owned by Erik: not hers to give.
    const forAri = await ok<EventDetail>(await maya.post(base, newEvent({ ownerId: w.id.ari })), 201);
    expect(forAri).toMatchObject({ owner: { id: w.id.ari }, canManage: true });
    expect(await fieldsOf(await maya.post(base, newEvent({ ownerId: w.id.erik })), 403)).toEqual([
      'body.ownerId',
    ]);
    expect(await fieldsOf(await maya.post(base, newEvent({ ownerId: null })), 403)).toEqual(['body.ownerId']);

    const mine = await maya.json<EventPage>(`${base}?manageable=true&limit=100`);
    expect(mine.items.every((e) => e.canManage)).toBe(true);
    expect(mine.items.map((e) => e.id)).toEqual(expect.arrayContaining([nyc, forAri.id]));
    expect(mine.items.map((e) => e.id)).not.toContain(berlin);
    const notMine = await maya.json<EventPage>(`${base}?manageable=false&limit=100`);
    expect(notMine.items.map((e) => e.id)).toContain(berlin);
    expect(notMine.items.every((e) => !e.canManage)).toBe(true);
    // The admin manages everything, including an event without an owner.
    const orphan = await ok<EventDetail>(await priya.post(base, newEvent({ ownerId: null })), 201);
    expect(orphan.owner).toBeNull();
    expect((await maya.send('PATCH', `${base}/${orphan.id}`, { version: 1, region: 'AMER' })).status).toBe(
      403,
    );
    const all = await priya.json<EventPage>(`${base}?limit=100`);
    expect(all.items.every((e) => e.canManage)).toBe(true);
  });

  it('advocates and viewers read the calendar but every write is 403, with nothing written or audited', async () => {
    const nyc = await w.event('MongoDB.local NYC');
    const [rows, audits] = [await eventCount(stack), await auditCount(stack, 'event.created')];
    for (const who of [w.as.ari, w.as.victor]) {
      expect((await who.json<EventPage>(base)).items.length).toBeGreaterThan(0);
      expect((await who.json<EventDetail>(`${base}/${nyc}`)).canManage).toBe(false);
      await problem(await who.post(base, newEvent()), 403);
      await problem(await who.send('PATCH', `${base}/${nyc}`, { version: 1, status: 'cancelled' }), 403);
      await problem(await who.post(`${base}/${nyc}/sessions`, { title: 'Sneaky' }), 403);
      await problem(await remove(who, `${base}/${nyc}`), 403);
    }
    expect([await eventCount(stack), await auditCount(stack, 'event.created')]).toEqual([rows, audits]);
    expect((await w.as.ari.json<EventDetail>(`${base}/${nyc}`)).version).toBe(1);
  });

  it('tokens: events:read cannot write; a manager’s events:write token creates within their scope', async () => {
    const token = async (scopes: string[]) =>
      ok<ApiTokenIssued>(
        await w.as.maya.post('/api/v1/tokens', { name: scopes.join(' '), scopes, expiresInDays: 1 }),
        201,
      );
    const bearer = (t: string, method: string, path: string, body?: unknown) =>
      fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${t}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const reader = await token(['events:read']);
    expect((await bearer(reader.token, 'GET', base)).status).toBe(200);
    const rows = await eventCount(stack);
    await problem(await bearer(reader.token, 'POST', base, newEvent()), 403);
    expect(await eventCount(stack)).toBe(rows);
    const writer = await token(['events:write']);
    const created = await ok<EventDetail>(await bearer(writer.token, 'POST', base, newEvent()), 201);
    expect(created.owner?.id).toBe(w.id.maya);
    const [audit] = await auditOf(stack, created.id);
    expect(audit).toMatchObject({ action: 'event.created', actorId: w.id.maya, actorTokenId: writer.id });
    const berlin = await w.event('AI Builders Hackathon Berlin');
    await problem(
      await bearer(writer.token, 'PATCH', `${base}/${berlin}`, { version: 1, status: 'cancelled' }),
      403,
    );
  });
});

describe('the picker, the options and the list', () => {
  it('the picker lists only active events, the caller’s assignments first', async () => {
    const ari = await w.as.ari.json<EventList>(`${base}/picker`);
    expect(ari.items.every((e) => e.isActive)).toBe(true);
    expect(ari.items[0]).toMatchObject({ name: 'MongoDB.local NYC', assignedToMe: true });
    expect(ari.items.filter((e) => e.assignedToMe)).toHaveLength(1);
    const fatima = await w.as.fatima.json<EventList>(`${base}/picker`);
    expect(fatima.items[0]).toMatchObject({ name: 'AI Builders Hackathon Berlin', assignedToMe: true });
    expect(fatima.items.map((e) => e.name)).not.toContain('Architect Day: Fintech London');
    // Starting days order the rest: the not-assigned ones follow by start.
    const rest = fatima.items.filter((e) => !e.assignedToMe).map((e) => e.startsOn);
    expect(rest).toEqual([...rest].sort());
  });

  it('options search names, newest first; the list pages by keyset and refuses a cursor of other filters', async () => {
    const options = await w.as.victor.json<{ items: { name: string; startsOn: string }[] }>(
      `${base}/options?q=${encodeURIComponent('berlin')}&limit=5`,
    );
    expect(options.items.map((o) => o.name)).toEqual(['AI Builders Hackathon Berlin']);
    const newest = await w.as.victor.json<{ items: { startsOn: string }[] }>(`${base}/options?limit=100`);
    const days = newest.items.map((o) => o.startsOn);
    expect(days).toEqual([...days].sort().reverse());

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: EventPage = await w.as.dana.json<EventPage>(
        `${base}?sort=name&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.name.toLowerCase()));
      cursor = page.nextCursor;
    } while (cursor);
    // The database's collation orders names: the pages, joined, are the one-page list exactly.
    const whole = await w.as.dana.json<EventPage>(`${base}?sort=name&limit=100`);
    expect(whole.nextCursor).toBeNull();
    expect(seen).toEqual(whole.items.map((e) => e.name.toLowerCase()));
    expect(seen.length).toBeGreaterThan(4);

    const first = await w.as.dana.json<EventPage>(`${base}?limit=1`);
    expect(first.nextCursor).not.toBeNull();
    expect(
      await fieldsOf(await w.as.dana.get(`${base}?limit=1&region=EMEA&cursor=${first.nextCursor}`)),
    ).toEqual(['query.cursor']);
    const emea = await w.as.dana.json<EventPage>(`${base}?region=EMEA&active=false&q=london`);
    expect(emea.items.map((e) => e.name)).toEqual(['Architect Day: Fintech London']);
    const assigned = await w.as.ari.json<EventPage>(`${base}?assignedTo=me`);
    expect(assigned.items.map((e) => e.name)).toEqual(['MongoDB.local NYC']);
  });
});
