import { count, eq } from 'drizzle-orm';
import { TAXONOMY_VERSION } from '../../../contract/taxonomy.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { eventAssignments, feedbackForms } from '../../db/schema.program.ts';
import { eventSessions, events, insights, people } from '../../db/schema.ts';
import { displayName, loadWorkforce } from '../../devidp/workforce.ts';
import { evaluateAccess, initialRuleSet } from '../access/entitlements.engine.ts';
import { audit } from '../audit/audit.service.ts';
import { markSourceSynced } from '../directory/org.core.ts';
import { DEFAULT_CONSENT_TEXT, templateOf } from '../forms/forms.templates.ts';
import { systemContext } from '../identity/actor.ts';
import { DEMO_QUOTES, type DemoQuote } from './demo.data.ts';
import { DEMO_EVENTS, demoQuarter } from './demo.events.ts';
import { DEMO_THEME_QUOTES } from './demo.themes.ts';

const DAY_MS = 86_400_000;

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

/** A version-4-shaped UUID from the PRNG: the same ids on every fresh install, like the rest of the set. */
function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 3) | 8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Every demo text once, in a fixed order: each quote, then its variants (the same complaint reworded by
 * someone else: same classification, no follow-up of their own). 56 insights.
 */
export function demoTexts(): { quote: DemoQuote; text: string; original: boolean }[] {
  return [...DEMO_QUOTES, ...DEMO_THEME_QUOTES].flatMap((quote) => [
    { quote, text: quote.text, original: true },
    ...(quote.variants ?? []).map((text) => ({ quote, text, original: false })),
  ]);
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
 * title, manager, Builder Relations membership), four events as the program office plans them (demo.events.ts:
 * owners, assigned advocates, sessions with their notes) and 56 insights over the last 60
 * days: mostly distinct texts, a few near-duplicates (demoTexts), some follow-ups in every state with owners
 * and linked issues, and two themes that grow in the last 30 days against the 30 before (demo.themes.ts).
 * Deterministic (a seeded PRNG, ids included). One transaction, one audit event. Never called in production
 * (main.ts and the CLI check).
 */
export async function seedDemoData(db: Db, options: DemoSeedOptions): Promise<DemoSeedResult> {
  const random = prng(20261121);
  const idRandom = prng(6);
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
    let demoForm: { eventId: string; ownerId: string | undefined } | null = null;
    for (const e of DEMO_EVENTS) {
      const start = today + e.offsetDays * DAY_MS;
      const owner = seeded.get(e.owner) ?? null;
      const [row] = await tx
        .insert(events)
        .values({
          name: e.name,
          eventType: e.eventType,
          engagementType: e.engagementType,
          status: e.status,
          attendance: e.attendance,
          quarter: demoQuarter(new Date(start)),
          region: e.region,
          location: e.location,
          latitude: e.latitude,
          longitude: e.longitude,
          timezone: e.timezone,
          startsOn: new Date(start).toISOString().slice(0, 10),
          endsOn: new Date(start + (e.lengthDays - 1) * DAY_MS).toISOString().slice(0, 10),
          isActive: e.isActive,
          accountName: e.accountName,
          accountSegment: e.accountSegment,
          champion: e.champion,
          marketer: e.marketer,
          eventUrl: e.eventUrl,
          trackerUrl: e.trackerUrl,
          salesforceUrl: e.salesforceUrl,
          slackChannel: e.slackChannel,
          techStack: [...e.techStack],
          travelStatus: e.travelStatus,
          ownerId: owner,
          createdBy: owner,
          updatedBy: owner,
        })
        .returning({ id: events.id });
      if (!row) continue;
      const assigned = e.assignments.flatMap((a) => {
        const personId = seeded.get(a.email);
        return personId ? [{ eventId: row.id, personId, role: a.role }] : [];
      });
      if (assigned.length > 0) await tx.insert(eventAssignments).values(assigned);
      const sessionIds: string[] = [];
      for (const session of e.sessions) {
        const startsAt = new Date(start + session.atHour * 3_600_000);
        const [s] = await tx
          .insert(eventSessions)
          .values({
            eventId: row.id,
            title: session.title,
            speaker: session.speaker,
            room: session.room,
            startsAt,
            endsAt: new Date(startsAt.getTime() + session.minutes * 60_000),
            audienceSize: session.audienceSize,
            commonQuestions: 'commonQuestions' in session ? session.commonQuestions : null,
            resonantDemos: 'resonantDemos' in session ? session.resonantDemos : null,
            engagementNotes: 'engagementNotes' in session ? session.engagementNotes : null,
          })
          .returning({ id: eventSessions.id });
        if (s) sessionIds.push(s.id);
      }
      eventRows.push({ id: row.id, team: e.team, start, length: e.lengthDays, sessions: sessionIds });
      if (e.isActive && !demoForm)
        demoForm = { eventId: row.id, ownerId: seeded.get('ari.levy@example.com') };
    }
    // An open feedback form for the first active event (Admin → Forms, public page /f/demo-event-feedback).
    if (demoForm?.ownerId) {
      const template = templateOf('event_feedback');
      await tx.insert(feedbackForms).values({
        id: crypto.randomUUID(),
        slug: 'demo-event-feedback',
        title: template.title,
        description: template.description,
        consentText: DEFAULT_CONSENT_TEXT,
        template: 'event_feedback',
        questions: template.questions,
        ownerId: demoForm.ownerId,
        eventId: demoForm.eventId,
        status: 'open',
        createdAt: options.now,
        updatedAt: options.now,
      });
    }

    const rows: (typeof insights.$inferInsert)[] = [];
    for (const { quote, text, original } of demoTexts()) {
      if (authors.length === 0) break;
      const author = pick(authors);
      const window = quote.window ?? (random() < 0.5 ? 'recent' : 'earlier');
      let event: (typeof eventRows)[number] | null = null;
      let dayStart: number;
      if (window === 'recent') {
        const teamEvents = eventRows.filter(
          (e) => e.team === author.team && e.start <= options.now.getTime(),
        );
        event = teamEvents.length > 0 && random() < 0.6 ? pick(teamEvents) : null;
        dayStart = event
          ? event.start + Math.floor(random() * event.length) * DAY_MS
          : today - Math.floor(random() * 30) * DAY_MS;
      } else {
        dayStart = today - (30 + Math.floor(random() * 30)) * DAY_MS;
      }
      const capturedAt = new Date(
        Math.min(dayStart + (8 + random() * 10) * 3_600_000, options.now.getTime() - 60_000),
      );
      // The follow-up stays with the first capture of a complaint; its repeats are plain insights.
      const followUp = original && (quote.followUp ?? false);
      const state = followUp ? (quote.followUpState ?? { status: 'open' as const }) : null;
      rows.push({
        id: uuidFrom(idRandom),
        authorId: author.id,
        text,
        type: quote.type,
        productAreas: quote.areas,
        sentiment: quote.sentiment,
        priority: quote.priority,
        tags: quote.tags ?? [],
        developer: original ? (quote.developer ?? null) : null,
        followUp,
        followUpStatus: state?.status ?? null,
        followUpOwnerId: state?.owner ? (seeded.get(state.owner) ?? null) : null,
        followUpIssueUrl: state?.issueUrl ?? null,
        followUpUpdatedAt: state
          ? new Date(Math.min(capturedAt.getTime() + 26 * 3_600_000, options.now.getTime()))
          : null,
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
