import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, EventPage } from '../../src/contract/api/events.ts';
import { TAXONOMY_VERSION } from '../../src/contract/taxonomy.ts';
import { feedbackForms } from '../../src/server/db/schema.program.ts';
import { insights } from '../../src/server/db/schema.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';
import { auditCount, newEvent, ok, problem, remove, setUpWorld, type World } from './events.helpers.ts';

let stack: TestStack;
let w: World;
let event: EventDetail;
let sessionId: string;
const base = '/api/v1/events';
const ids = { ariOld: randomUUID(), ariNew: randomUUID(), ariMerged: randomUUID(), camila: randomUUID() };
const fatimaInsight = randomUUID();

/**
 * Maya's event: Ari on site (2 insights, plus a duplicate merged into one of them), Ben remote (nothing yet),
 * Fatima remote (EMEA, outside Maya's scope: 1 insight), Camila not assigned (1 insight, in the session).
 */
beforeAll(async () => {
  stack = await startStack();
  w = await setUpWorld(stack);
  event = await ok<EventDetail>(
    await w.as.maya.post(
      base,
      newEvent({
        assignments: [
          { personId: w.id.ari, role: 'on_site' },
          { personId: w.id.ben, role: 'remote' },
          { personId: w.id.fatima, role: 'remote' },
        ],
      }),
    ),
    201,
  );
  const session = await w.as.maya.post(`${base}/${event.id}/sessions`, { title: 'Workshop' });
  sessionId = ((await session.json()) as { id: string }).id;
  const insight = (id: string, authorId: string, hoursAgo: number, extra: Record<string, unknown> = {}) => ({
    id,
    authorId,
    text: `${'Long observation about the event. '.repeat(10)}${id}`,
    type: 'pain_point',
    sentiment: 'negative',
    priority: 'high',
    source: 'seed' as const,
    taxonomyVersion: TAXONOMY_VERSION,
    eventId: event.id,
    capturedAt: new Date(Date.now() - hoursAgo * 3_600_000),
    ...extra,
  });
  await stack.db.database.db
    .insert(insights)
    .values([
      insight(ids.ariOld, w.id.ari, 5),
      insight(ids.ariNew, w.id.ari, 1),
      insight(ids.camila, w.id.camila, 3, { sessionId }),
      insight(fatimaInsight, w.id.fatima, 2),
    ]);
  await stack.db.database.db
    .insert(insights)
    .values(insight(ids.ariMerged, w.id.ari, 4, { mergedIntoId: ids.ariOld }));
});
afterAll(async () => {
  await stack?.close();
});

const coverageOf = (detail: EventDetail) => ({
  total: detail.coverage.totalInsights,
  assigned: detail.coverage.assigned.map((a) => [a.person.name, a.role, a.insights, a.inScope]),
  unassigned: detail.coverage.unassigned.map((u) => [u.person.name, u.insights]),
  without: detail.coverage.assignedWithoutInsights,
});

describe('capture coverage', () => {
  it('counts insights per assigned advocate within the reader’s scope, merged duplicates once', async () => {
    const maya = await w.as.maya.json<EventDetail>(`${base}/${event.id}`);
    expect(coverageOf(maya)).toEqual({
      total: 3,
      assigned: [
        ['Ari Levy', 'on_site', 2, true],
        ['Ben Carter', 'remote', 0, true],
        ['Fatima Zahra', 'remote', 0, false],
      ],
      unassigned: [['Camila Reyes', 1]],
      without: 1,
    });
    expect(maya.insightCount).toBe(3);
    expect(maya.sessions.map((s) => [s.title, s.insightCount])).toEqual([['Workshop', 1]]);

    // The director sees the whole org: Fatima's capture counts, and she is in scope.
    const dana = await w.as.dana.json<EventDetail>(`${base}/${event.id}`);
    expect(coverageOf(dana)).toEqual({
      total: 4,
      assigned: [
        ['Ari Levy', 'on_site', 2, true],
        ['Ben Carter', 'remote', 0, true],
        ['Fatima Zahra', 'remote', 1, true],
      ],
      unassigned: [['Camila Reyes', 1]],
      without: 1,
    });

    // Fatima (EMEA advocate) sees only her team's captures.
    const fatima = await w.as.fatima.json<EventDetail>(`${base}/${event.id}`);
    expect(coverageOf(fatima)).toEqual({
      total: 1,
      assigned: [
        ['Ari Levy', 'on_site', 0, false],
        ['Ben Carter', 'remote', 0, false],
        ['Fatima Zahra', 'remote', 1, true],
      ],
      unassigned: [],
      without: 0,
    });
    expect(fatima.sessions[0]?.insightCount).toBe(0);
  });

  it('lists the newest linked insights in the reader’s scope only, with short excerpts', async () => {
    const ari = await w.as.ari.json<EventDetail>(`${base}/${event.id}`);
    expect(ari.latestInsights.map((i) => i.id)).toEqual([ids.ariNew, ids.camila, ids.ariOld]);
    expect(ari.latestInsights.every((i) => i.excerpt.length <= 200 && i.excerpt.endsWith('…'))).toBe(true);
    expect(ari.latestInsights[1]).toMatchObject({ sessionId, author: { name: 'Camila Reyes' } });
    const dana = await w.as.dana.json<EventDetail>(`${base}/${event.id}`);
    expect(dana.latestInsights.map((i) => i.id)).toEqual([ids.ariNew, fatimaInsight, ids.camila, ids.ariOld]);

    // The list's insightCount is scoped the same way.
    const count = async (who: World['as']['ari']) =>
      (await who.json<EventPage>(`${base}?q=${encodeURIComponent(event.name)}`)).items[0]?.insightCount;
    expect([await count(w.as.ari), await count(w.as.fatima), await count(w.as.dana)]).toEqual([3, 1, 4]);
  });
});

describe('deleting what insights or forms refer to', () => {
  it('refuses to delete an event or a session with linked insights (409), and an event with a form', async () => {
    const deletes = await auditCount(stack, 'event.deleted');
    const refused = await problem(await remove(w.as.maya, `${base}/${event.id}`), 409);
    expect(refused.detail).toContain('inactive');
    await problem(await remove(w.as.maya, `${base}/${event.id}/sessions/${sessionId}`), 409);
    expect((await w.as.maya.json<EventDetail>(`${base}/${event.id}`)).sessions).toHaveLength(1);

    const formOnly = await ok<EventDetail>(await w.as.maya.post(base, newEvent()), 201);
    await stack.db.database.db.insert(feedbackForms).values({
      id: randomUUID(),
      slug: `form-${randomUUID().slice(0, 8)}`,
      title: 'Feedback',
      consentText: 'We keep your answers for product feedback.',
      template: 'blank',
      questions: [],
      ownerId: w.id.maya,
      eventId: formOnly.id,
    });
    expect((await problem(await remove(w.as.maya, `${base}/${formOnly.id}`), 409)).detail).toContain(
      'feedback forms',
    );
    expect(await auditCount(stack, 'event.deleted')).toBe(deletes);
  });
});
