import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { TAXONOMY_VERSION } from '../../../contract/taxonomy.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { eventSessions, events, insights, people } from '../../db/schema.ts';
import { displayName, loadWorkforce } from '../../devidp/workforce.ts';
import { evaluateAccess, initialRuleSet } from '../access/entitlements.engine.ts';
import { audit } from '../audit/audit.service.ts';
import { markSourceSynced } from '../directory/org.core.ts';
import { systemContext } from '../identity/actor.ts';
import { DEMO_EVENTS, DEMO_QUOTES } from './demo.data.ts';

const DAY_MS = 86_400_000;
const INSIGHT_COUNT = 48;

/** Small deterministic PRNG (mulberry32): the same demo set on every fresh install. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface DemoSeedOptions {
  issuer: string;
  access: Config['access'];
  now: Date;
}

export interface DemoSeedResult {
  people: number;
  events: number;
  insights: number;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [p] = await db.select({ n: count() }).from(people);
  const [i] = await db.select({ n: count() }).from(insights);
  const [e] = await db.select({ n: count() }).from(events);
  return Number(p?.n) === 0 && Number(i?.n) === 0 && Number(e?.n) === 0;
}

/**
 * Loads the demo workforce (keyed by the dev issuer, so signing in as them links to their data) with its org
 * facts as an HR feed would provide them (active, managed by the HR source: employee number, department,
 * title, manager, Builder Relations membership), a few events with sessions and a few dozen insights spread
 * over the last weeks. One transaction, one audit event. Never called in production (main.ts and the CLI
 * check).
 */
export async function seedDemoData(db: Db, options: DemoSeedOptions): Promise<DemoSeedResult> {
  const random = prng(20261121);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const today = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());

  const rules = initialRuleSet(options.access);
  const workforce = loadWorkforce();
  const byEmail = new Map(workforce.map((p) => [p.email, p]));
  const reportsInBr = (email: string) =>
    workforce.filter((p) => p.managerEmail === email && p.builderRelations).length;
  return db.transaction(async (tx) => {
    const authors: { id: string; team: string | null }[] = [];
    const seeded = new Map<string, string>();
    for (const person of workforce) {
      const access = evaluateAccess(
        {
          personId: person.sub,
          status: 'active',
          groups: person.groups,
          builderRelations: person.builderRelations,
          department: person.department,
          title: person.title,
          directReportsInBr: reportsInBr(person.email),
        },
        rules,
        [],
        options.now,
      );
      if (!access) continue;
      const team = access.teams[0] ?? null;
      const manager = person.managerEmail ? (byEmail.get(person.managerEmail)?.employeeNumber ?? null) : null;
      const facts = {
        employeeNumber: person.employeeNumber,
        department: person.department,
        title: person.title,
        builderRelations: person.builderRelations,
      };
      const [row] = await tx
        .insert(people)
        .values({
          issuer: options.issuer,
          subject: person.sub,
          email: person.email,
          displayName: displayName(person),
          groups: person.groups,
          team,
          status: 'active',
          ...facts,
          orgSource: 'hr',
          managerRef: manager,
          sourceRecords: {
            hr: {
              ...facts,
              email: person.email,
              displayName: displayName(person),
              manager,
              at: options.now.toISOString(),
            },
          },
        })
        .returning({ id: people.id });
      if (!row) continue;
      seeded.set(person.email, row.id);
      if ((access.role === 'advocate' || access.role === 'manager') && team) {
        authors.push({ id: row.id, team });
      }
    }
    for (const person of workforce) {
      const id = seeded.get(person.email);
      const managerId = person.managerEmail ? seeded.get(person.managerEmail) : undefined;
      if (id && managerId) await tx.update(people).set({ managerId }).where(eq(people.id, id));
    }
    const peopleCount = seeded.size;
    await markSourceSynced(tx, 'hr', options.now, {
      rows: peopleCount,
      joiners: peopleCount,
      movers: 0,
      leavers: 0,
      unchanged: 0,
      conflicts: 0,
      otherSource: 0,
    });

    const eventRows: { id: string; team: string; start: number; length: number; sessions: string[] }[] = [];
    for (const e of DEMO_EVENTS) {
      const start = today + e.offsetDays * DAY_MS;
      const [row] = await tx
        .insert(events)
        .values({
          name: e.name,
          eventType: e.eventType,
          region: e.region,
          location: e.location,
          startsOn: new Date(start).toISOString().slice(0, 10),
          endsOn: new Date(start + (e.lengthDays - 1) * DAY_MS).toISOString().slice(0, 10),
          isActive: e.isActive,
        })
        .returning({ id: events.id });
      if (!row) continue;
      const sessionIds: string[] = [];
      for (const [index, title] of e.sessions.entries()) {
        const [s] = await tx
          .insert(eventSessions)
          .values({ eventId: row.id, title, startsAt: new Date(start + (9 + index * 2) * 3_600_000) })
          .returning({ id: eventSessions.id });
        if (s) sessionIds.push(s.id);
      }
      eventRows.push({ id: row.id, team: e.team, start, length: e.lengthDays, sessions: sessionIds });
    }

    const rows: (typeof insights.$inferInsert)[] = [];
    for (let i = 0; i < INSIGHT_COUNT && authors.length > 0; i += 1) {
      const author = pick(authors);
      const quote = pick(DEMO_QUOTES);
      const teamEvents = eventRows.filter((e) => e.team === author.team && e.start <= options.now.getTime());
      const event = teamEvents.length > 0 && random() < 0.7 ? pick(teamEvents) : null;
      const dayStart = event
        ? event.start + Math.floor(random() * event.length) * DAY_MS
        : today - Math.floor(random() * 45) * DAY_MS;
      const capturedAt = new Date(
        Math.min(dayStart + (8 + random() * 10) * 3_600_000, options.now.getTime() - 60_000),
      );
      rows.push({
        id: randomUUID(),
        authorId: author.id,
        text: quote.text,
        type: quote.type,
        productAreas: quote.areas,
        sentiment: quote.sentiment,
        priority: quote.priority,
        tags: quote.tags ?? [],
        developer: quote.developer ?? null,
        followUp: quote.followUp ?? false,
        eventId: event?.id ?? null,
        sessionId: event && event.sessions.length > 0 && random() < 0.6 ? pick(event.sessions) : null,
        source: 'seed',
        taxonomyVersion: TAXONOMY_VERSION,
        capturedAt,
        createdAt: options.now,
        updatedAt: options.now,
      });
    }
    if (rows.length > 0) await tx.insert(insights).values(rows);

    const result = { people: peopleCount, events: eventRows.length, insights: rows.length };
    await audit(tx, systemContext('seed'), { action: 'demo.seeded', targetId: null, details: result });
    return result;
  });
}

export async function seedDemoDataIfEmpty(db: Db, options: DemoSeedOptions): Promise<DemoSeedResult | null> {
  if (!(await isEmpty(db))) return null;
  return seedDemoData(db, options);
}
