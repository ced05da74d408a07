import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventCreate, EventDetail, EventPage, EventSession } from '../../src/contract/api/events.ts';
import { events } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';
import { expectProblem, publicApi } from './public-api.helpers.ts';

/** Events and their sessions through API tokens (contract: src/contract/api/events.ts). */
let stack: TestStack;
let ari: Session; // advocate, AMER
let maya: Session; // manager, AMER
let victor: Session; // viewer
const api = publicApi(() => stack);
const { bearer, bearerSend, createToken } = api;
let eventId: string;

const newEvent = (name: string): EventCreate => ({
  name,
  eventType: 'workshop_webinar',
  startsOn: '2026-05-04',
  endsOn: '2026-05-05',
  region: 'AMER',
  isActive: true,
});

async function eventRows(name: string) {
  return api.db().select().from(events).where(eq(events.name, name));
}

beforeAll(async () => {
  stack = await startStack();
  [ari, maya, victor] = (await Promise.all(['Ari', 'Maya', 'Victor'].map((who) => stack.signIn(who)))) as [
    Session,
    Session,
    Session,
  ];
  const response = await maya.post('/api/v1/events', newEvent('Austin Build & Learn'));
  expect(response.status, await response.clone().text()).toBe(201);
  eventId = ((await response.json()) as EventDetail).id;
});
afterAll(async () => {
  await stack?.close();
});

describe('events through API tokens', () => {
  it('an events:read token lists and reads events (any role reads the calendar)', async () => {
    for (const who of [ari, victor]) {
      const { token } = await createToken(who, ['events:read']);
      const list = await bearer(token, '/api/v1/events?limit=100');
      expect(list.status, await list.clone().text()).toBe(200);
      expect(((await list.json()) as EventPage).items.map((e) => e.id)).toContain(eventId);
      const one = await bearer(token, `/api/v1/events/${eventId}`);
      expect(one.status).toBe(200);
      expect(((await one.json()) as EventDetail).canManage).toBe(false);
    }
  });

  it('a read token cannot create events: 403 problem naming events:write, nothing written, audited', async () => {
    const { token, id } = await createToken(maya, ['events:read']);
    const body = newEvent('Refused through a read token');
    const problem = await expectProblem(await bearerSend(token, 'POST', '/api/v1/events', body), 403);
    expect(problem.detail).toContain('events:write');
    expect(await eventRows(body.name)).toEqual([]);
    expect((await api.refusals(id)).map((e) => e.details)).toEqual([
      { tokenId: id, needed: 'events:write', method: 'POST', route: '/api/v1/events' },
    ]);
  });

  it('a manager’s events:write token creates an event and a session as its owner', async () => {
    const { token } = await createToken(maya, ['events:read', 'events:write']);
    const created = await bearerSend(token, 'POST', '/api/v1/events', newEvent('Denver Office Hours'));
    expect(created.status, await created.clone().text()).toBe(201);
    const event = (await created.json()) as EventDetail;
    expect(event.owner?.name).toBe('Maya Patel');
    expect(event.canManage).toBe(true);
    const session = await bearerSend(token, 'POST', `/api/v1/events/${event.id}/sessions`, {
      title: 'Schema design clinic',
      room: 'B2',
    });
    expect(session.status, await session.clone().text()).toBe(201);
    expect(((await session.json()) as EventSession).eventId).toBe(event.id);
  });

  it('loses events:write at once when the manager is demoted to advocate (no caching)', async () => {
    const { token } = await createToken(maya, ['events:read', 'events:write']);
    const name = 'Written while demoted';
    await api.withGroups('maya.patel@example.com', ['builder-relations', 'br-team-amer'], async () => {
      const problem = await expectProblem(
        await bearerSend(token, 'POST', '/api/v1/events', newEvent(name)),
        403,
      );
      expect(problem.detail).toContain('events:write');
      expect(await eventRows(name)).toEqual([]);
      // Reading the calendar is still within the advocate's scopes.
      expect((await bearer(token, `/api/v1/events/${eventId}`)).status).toBe(200);
    });
    const restored = await bearerSend(token, 'POST', '/api/v1/events', newEvent('Back as a manager'));
    expect(restored.status).toBe(201);
  });

  it('a manager’s write token cannot edit an event owned outside their scope (403, unchanged)', async () => {
    const erik = await stack.signIn('Erik');
    const { token } = await createToken(erik, ['events:read', 'events:write']);
    const current = (await (await bearer(token, `/api/v1/events/${eventId}`)).json()) as EventDetail;
    expect(current.canManage).toBe(false);
    const patch = { name: 'Renamed from EMEA', version: current.version };
    await expectProblem(await bearerSend(token, 'PATCH', `/api/v1/events/${eventId}`, patch), 403);
    expect(await eventRows('Renamed from EMEA')).toEqual([]);
  });
});
