import { count, like } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventCreate } from '../../src/contract/api/events.ts';
import type { ImportPreview } from '../../src/contract/api/imports.ts';
import { IMPORT_FIELDS } from '../../src/contract/program.ts';
import { auditEvents, events } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * Property: whatever the spelling of the headers and however noisy the rows, an import never answers 5xx,
 * every event it writes satisfies the contract (EventCreate, dates in order), and importing the same file
 * again with the same mapping changes nothing.
 */
let stack: TestStack;
let admins: Session[];
let priya: Session;
let turn = 0;
const db = () => stack.db.database.db;
const base = '/api/v1/event-imports';

beforeAll(async () => {
  stack = await startStack();
  for (const login of ['ari.levy', 'ben.carter']) await stack.signIn(`${login}@example.com`);
  // Two admins take turns: each person has their own write budget per route (RATE.write).
  admins = [await stack.signIn('priya.raman@example.com'), await stack.signIn('noah.adeyemi@example.com')];
}, 300_000);
afterAll(async () => {
  await stack?.close();
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const dateCell = fc
  .record({
    y: fc.integer({ min: 2025, max: 2027 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
    format: fc.integer({ min: 0, max: 6 }),
  })
  .map(({ y, m, d, format }) => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const serial = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000);
    return [
      `${y}-${pad(m)}-${pad(d)}`,
      `${m}/${d}/${y}`,
      `${pad(d)}.${pad(m)}.${y}`,
      `${d} ${MONTHS[m - 1]} ${y}`,
      `${LONG[m - 1]} ${d}, ${y}`,
      String(serial),
      'soon-ish',
    ][format] as string;
  });

const VALUES: Record<string, string[]> = {
  status: ['✅ Confirmed', '🟡 Tentative', '❌ Cancelled', 'Done ✔️', 'TBD', '???'],
  event_type: ['Hackathon', 'workshop', '1:1 Dev Day', 'zzz', 'Office hours'],
  engagement_type: ['Customer', 'meetup', 'nonsense'],
  region: ['NA', 'North America', 'Europe', 'EU', 'Asia Pacific', 'LatAm', 'Mars'],
  attendance: ['In person', 'Onsite', 'Virtual', 'Hybrid', 'maybe'],
  active: ['yes', 'x', '✅', 'no', 'perhaps'],
  latitude: ['52.5', '-91', 'abc'],
  longitude: ['13.4', '200', '1,5'],
  timezone: ['Europe/Berlin', 'utc', 'Mars/Base'],
  event_url: ['https://x.example.com', 'www.example.com', 'not a url'],
  tracker_url: ['ftp://nope', 'https://jira.example.com/X-1'],
  salesforce_url: [''],
  slack_channel: ['#devday-berlin', 'Bad Channel!'],
  tech_stack: ['Node, React', 'Java;Kotlin', `${'t'.repeat(60)}, ok`],
  travel_status: ['Booked', 'n/a', 'whatever'],
  account_segment: ['POD', 'key growth', 'nope'],
  quarter: ['Q4 FY26', 'fy27 q1', 'Q5'],
  assigned_on_site: ['ari.levy@example.com', 'Ben Carter; nobody@x.com'],
  assigned_remote: ['ben.carter@example.com / ari.levy@example.com'],
  assigned_volunteer: ['ghost'],
  owner: ['priya.raman@example.com', 'ghost@example.com'],
  location: ['Berlin', 'x'.repeat(400)],
  account_name: ['Acme'],
  champion: ['Jo'],
  marketer: ['Sam'],
};
const OPTIONAL = IMPORT_FIELDS.map((f) => f.id).filter(
  (id) => !['name', 'starts_on', 'ends_on'].includes(id),
);

const spelling = (field: (typeof IMPORT_FIELDS)[number]) =>
  fc
    .record({
      base: fc.constantFrom(field.id, field.label, ...field.synonyms),
      kase: fc.constantFrom('upper', 'lower', 'same'),
      pad: fc.constantFrom('', ' ', '  '),
      decor: fc.constantFrom('', ':', ' 🎉', '* ', '?'),
      typo: fc.boolean(),
    })
    .map(({ base, kase, pad, decor, typo }) => {
      let text = kase === 'upper' ? base.toUpperCase() : kase === 'lower' ? base.toLowerCase() : base;
      if (typo && text.length > 4) text = text.slice(0, 2) + text[3] + text[2] + text.slice(4);
      return `${pad}${text}${decor}${pad}`;
    });

const fileArb = fc
  .record({
    optional: fc.subarray(OPTIONAL, { maxLength: 8 }),
    extra: fc.subarray(['Notes', 'Budget', 'Col 🙂'], { maxLength: 2 }),
    delimiter: fc.constantFrom(',', ';', '\t'),
    withEnd: fc.boolean(),
  })
  .chain(({ optional, extra, delimiter, withEnd }) => {
    const fields = ['name', 'starts_on', ...(withEnd ? ['ends_on'] : []), ...optional];
    const byId = new Map(IMPORT_FIELDS.map((f) => [f.id as string, f]));
    const headers = fc.tuple(...fields.map((id) => spelling(byId.get(id) as (typeof IMPORT_FIELDS)[number])));
    const cell = (id: string) =>
      id === 'name'
        ? fc.constantFrom('Alpha Day', 'Beta Summit', ' alpha   day ', 'Gamma', '')
        : id === 'starts_on' || id === 'ends_on'
          ? dateCell
          : fc.constantFrom('', ...(VALUES[id] ?? ['junk']));
    const full = fc.tuple(...fields.map(cell), ...extra.map(() => fc.constantFrom('', 'x')));
    const row = fc.oneof(
      { weight: 5, arbitrary: full },
      { weight: 1, arbitrary: fc.constant([] as string[]) },
    );
    return fc.record({
      headers,
      // Blank rows anywhere, but at least one row with cells (a file of only blank lines is a 400).
      rows: fc.tuple(fc.array(row, { maxLength: 7 }), full).map(([some, last]) => [...some, last]),
      extra: fc.constant(extra),
      delimiter: fc.constant(delimiter),
    });
  })
  .map(({ headers, rows, extra, delimiter }) => {
    const quote = (c: string) => (/[",;\t\n]/.test(c) || c !== c.trim() ? `"${c.replaceAll('"', '""')}"` : c);
    const line = (cells: readonly string[]) => cells.map(quote).join(delimiter);
    return [line([...headers, ...extra]), ...rows.map(line)].join('\r\n');
  });

async function waitApplied(id: string): Promise<ImportPreview> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const response = await priya.get(`${base}/${id}`);
    expect(response.status).toBeLessThan(500);
    const preview = (await response.json()) as ImportPreview;
    if (preview.status !== 'applying') return preview;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error('import did not finish');
}
const eventAudits = async () =>
  Number(
    (await db().select({ n: count() }).from(auditEvents).where(like(auditEvents.action, 'event.%')))[0]?.n,
  );

it('never 5xx; every written event satisfies EventCreate; re-import is a no-op', async () => {
  await fc.assert(
    fc.asyncProperty(fileArb, async (csv) => {
      turn += 1;
      priya = admins[turn % admins.length] as Session;
      const uploaded = await priya.post(base, { fileName: 'random.csv', csv });
      expect(uploaded.status, await uploaded.clone().text()).toBe(201);
      const preview = (await uploaded.json()) as ImportPreview;
      if (preview.missingRequired.length > 0) {
        expect((await priya.post(`${base}/${preview.id}/apply`, {})).status).toBe(409);
        return;
      }
      expect((await priya.post(`${base}/${preview.id}/apply`, {})).status).toBe(202);
      expect((await waitApplied(preview.id)).status).toBe('applied');
      for (const e of await db().select().from(events)) {
        const fields = {
          name: e.name,
          eventType: e.eventType,
          startsOn: e.startsOn,
          endsOn: e.endsOn,
          isActive: e.isActive,
          quarter: e.quarter,
          status: e.status,
          engagementType: e.engagementType,
          region: e.region,
          attendance: e.attendance,
          location: e.location,
          latitude: e.latitude,
          longitude: e.longitude,
          timezone: e.timezone,
          accountName: e.accountName,
          accountSegment: e.accountSegment,
          champion: e.champion,
          marketer: e.marketer,
          eventUrl: e.eventUrl,
          trackerUrl: e.trackerUrl,
          salesforceUrl: e.salesforceUrl,
          slackChannel: e.slackChannel,
          techStack: e.techStack,
          travelStatus: e.travelStatus,
          ownerId: e.ownerId,
        };
        const parsed = EventCreate.safeParse(fields);
        expect(parsed.success, `${JSON.stringify(fields)} ${parsed.error?.message}`).toBe(true);
        expect(e.endsOn >= e.startsOn).toBe(true);
      }
      const before = await eventAudits();
      const mapping = Object.fromEntries(preview.columns.map((c) => [c.header, c.field]));
      const again = await priya.post(base, { fileName: 'random.csv', csv, mapping });
      expect(again.status, await again.clone().text()).toBe(201);
      const second = (await again.json()) as ImportPreview;
      expect([second.counts.create, second.counts.update]).toEqual([0, 0]);
      expect((await priya.post(`${base}/${second.id}/apply`, {})).status).toBe(202);
      expect((await waitApplied(second.id)).status).toBe('applied');
      expect(await eventAudits()).toBe(before);
    }),
    {
      numRuns: Number(process.env.IMPORT_PROPERTY_RUNS ?? 40),
      ...(process.env.IMPORT_PROPERTY_RUNS ? {} : { seed: 20260307 }),
    },
  );
  // The generator must actually exercise writes (a property over nothing proves nothing).
  expect(Number((await db().select({ n: count() }).from(events))[0]?.n)).toBeGreaterThan(3);
}, 300_000);
