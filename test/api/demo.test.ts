import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventList, EventPage } from '../../src/contract/api/events.ts';
import type { FormPage } from '../../src/contract/api/forms.ts';
import type { Me } from '../../src/contract/api/me.ts';
import type { Themes } from '../../src/contract/api/reporting.ts';
import { auditEvents, insights, orgSources, people } from '../../src/server/db/schema.ts';
import { seedDemoDataIfEmpty } from '../../src/server/modules/demo/demo.seed.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('demo data', () => {
  it('seeds an empty database once, audited, and demo people sign in to their own seeded data', async () => {
    const db = stack.db.database.db;
    const options = { issuer: stack.idp.issuer, access: stack.config.access, now: new Date() };
    const result = await seedDemoDataIfEmpty(db, options);
    expect(result).toEqual({ people: 14, events: 4, insights: 56 });
    expect(await seedDemoDataIfEmpty(db, options)).toBeNull();
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'demo.seeded'));
    expect(audit?.details).toEqual(result);

    // Org facts as an HR feed provides them: active, managed by the HR source, with the reporting chain.
    const byEmail = new Map((await db.select().from(people)).map((p) => [p.email, p]));
    const dana = byEmail.get('dana.okafor@example.com');
    expect(byEmail.get('maya.patel@example.com')).toMatchObject({
      status: 'active',
      orgSource: 'hr',
      employeeNumber: 'E1002',
      department: 'Builder Relations',
      builderRelations: true,
      managerId: dana?.id,
      managerRef: 'E1001',
    });
    expect(dana?.managerId).toBe(byEmail.get('lena.brooks@example.com')?.id);
    expect(byEmail.get('victor.chen@example.com')).toMatchObject({
      builderRelations: false,
      department: 'Product',
    });
    expect(byEmail.has('omar.haddad@example.com')).toBe(false);
    const [hr] = await db.select().from(orgSources).where(eq(orgSources.id, 'hr'));
    expect(hr).toMatchObject({ enabled: true, lastError: null, lastCounts: { joiners: 14 } });
    expect(hr?.lastSuccessAt).toEqual(options.now);

    const ari = await stack.signIn('ari.levy@example.com');
    const me = await ari.json<Me>('/api/v1/me');
    const [seeded] = await db.select().from(people).where(eq(people.email, 'ari.levy@example.com'));
    expect(me.person.id).toBe(seeded?.id);
    expect({ role: me.role, scope: me.scope }).toEqual({
      role: 'advocate',
      scope: { kind: 'limited', teams: ['amer'], trees: [], units: [] },
    });
    expect(Number((await db.select({ n: count() }).from(people))[0]?.n)).toBe(14);
    const mine = Number(
      (await db.select({ n: count() }).from(insights).where(eq(insights.authorId, me.person.id)))[0]?.n,
    );
    const listed = await ari.json<{ items: unknown[] }>(
      `/api/v1/insights?authorId=${me.person.id}&limit=100`,
    );
    expect(listed.items).toHaveLength(mine);

    // The capture picker: the active events, the one Ari is assigned to first.
    const events = await ari.json<EventList>('/api/v1/events/picker');
    expect(events.items.map((e) => [e.name, e.assignedToMe])).toEqual([
      ['MongoDB.local NYC', true],
      ['AI Builders Hackathon Berlin', false],
    ]);
    expect(events.items.every((e) => e.isActive && e.sessions.length > 0)).toBe(true);
    const all = await ari.json<EventPage>('/api/v1/events');
    expect(all.items).toHaveLength(4);
    // Planned as the program office does: owned by the region's manager, advocates assigned, PMO fields set.
    const nyc = all.items.find((e) => e.name === 'MongoDB.local NYC');
    expect(nyc).toMatchObject({ owner: { name: 'Maya Patel' }, assignedCount: 3, status: 'confirmed' });
    expect(nyc?.quarter).toMatch(/^Q[1-4] FY\d{2}$/);

    // Ari's open feedback form for the first active event: listed for her, and public without a session.
    const forms = await ari.json<FormPage>('/api/v1/forms');
    expect(forms.items.map((f) => [f.slug, f.status, f.event?.name, f.accepting])).toEqual([
      ['demo-event-feedback', 'open', 'MongoDB.local NYC', true],
    ]);
    const page = await fetch(`${stack.baseUrl}/f/demo-event-feedback`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('MongoDB.local NYC');

    // The reporting screens have something to show: the two planted themes emerge for the director.
    const director = await stack.signIn('dana.okafor@example.com');
    const themes = await director.json<Themes>('/api/v1/themes?period=last30');
    const labels = themes.themes.map((t) => t.label.toLowerCase()).join(' | ');
    expect(labels).toContain('hybrid search');
    expect(labels).toContain('mcp server');
  });
});
