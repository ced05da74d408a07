import { readFileSync } from 'node:fs';
import { and, count, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportAliasList, ImportPreview } from '../../src/contract/api/imports.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { eventAssignments, eventImports } from '../../src/server/db/schema.program.ts';
import { auditEvents, events, people } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let priya: Session; // admin
let maya: Session; // manager AMER
let erik: Session; // manager EMEA
let ari: Session; // advocate
const ids: Record<string, string> = {};
const db = () => stack.db.database.db;
const base = '/api/v1/event-imports';
const messy = readFileSync('test/fixtures/pmo/messy.csv', 'utf8');

async function upload(who: Session, csv: string, extra: Record<string, unknown> = {}) {
  const response = await who.post(base, { fileName: 'pmo.csv', csv, ...extra });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as ImportPreview;
}
async function fieldsOf(response: Response) {
  expect(response.status, await response.clone().text()).toBe(400);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return ((await response.json()) as { errors?: { field: string }[] }).errors?.map((e) => e.field) ?? [];
}
/** Applies and polls until done; returns every processedRows value seen while applying. */
async function applyAndWait(who: Session, id: string, body: Record<string, unknown> = {}) {
  const started = await who.post(`${base}/${id}/apply`, body);
  expect(started.status, await started.clone().text()).toBe(202);
  expect(((await started.json()) as ImportPreview).status).toBe('applying');
  const seen: number[] = [];
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
    const now = await who.json<ImportPreview>(`${base}/${id}`);
    seen.push(now.processedRows);
    if (now.status !== 'applying') return { final: now, seen };
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  throw new Error('import did not finish');
}
const eventAudits = async () =>
  Number(
    (await db().select({ n: count() }).from(auditEvents).where(like(auditEvents.action, 'event.%')))[0]?.n,
  );
const eventByName = async (name: string) =>
  (await db().select().from(events).where(eq(events.name, name)))[0];
const assignmentsOf = async (eventId: string) =>
  (
    await db()
      .select({ email: people.email, role: eventAssignments.role })
      .from(eventAssignments)
      .innerJoin(people, eq(people.id, eventAssignments.personId))
      .where(eq(eventAssignments.eventId, eventId))
  )
    .map((a) => `${a.email.split('@')[0]}:${a.role}`)
    .sort();

beforeAll(async () => {
  stack = await startStack();
  for (const login of [
    'fatima.zahra',
    'gustav.berg',
    'hannah.schmidt',
    'ben.carter',
    'camila.reyes',
    'jordan.kim',
  ])
    await stack.signIn(`${login}@example.com`);
  [priya, maya, erik, ari] = (await Promise.all(
    ['priya.raman', 'maya.patel', 'erik.lindqvist', 'ari.levy'].map((l) => stack.signIn(`${l}@example.com`)),
  )) as [Session, Session, Session, Session];
  for (const row of await db().select({ id: people.id, email: people.email }).from(people))
    ids[row.email.split('@')[0] as string] = row.id;
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

describe('the messy PMO spreadsheet', () => {
  let preview: ImportPreview;

  it('previews it: mapping, counts, row errors and warnings, nothing written', async () => {
    preview = await upload(priya, messy);
    expect(preview.status).toBe('previewed');
    const mapped = Object.fromEntries(preview.columns.map((c) => [c.header, `${c.field}:${c.match}`]));
    expect(mapped).toEqual({
      'Event Name 🎉': 'name:exact',
      'Start Dàte': 'starts_on:exact',
      End: 'ends_on:exact',
      Stätus: 'status:exact',
      Type: 'event_type:exact',
      'Region 🌍': 'region:exact',
      'Virtual / On-site': 'attendance:exact',
      City: 'location:exact',
      'DA Onsite 👥': 'assigned_on_site:exact',
      'Remote advocates': 'assigned_remote:exact',
      Owner: 'owner:exact',
      'Budget (USD)': 'null:none',
      'Acount Nme': 'account_name:fuzzy',
      Quarter: 'quarter:exact',
      Notes: 'null:none',
    });
    expect(preview.missingRequired).toEqual([]);
    expect(preview.counts).toEqual({
      totalRows: 11,
      create: 6,
      update: 0,
      unchanged: 0,
      error: 2,
      duplicateInFile: 1,
      blank: 2,
      warnings: 3,
    });
    const byLine = Object.fromEntries(preview.rows.map((r) => [r.line, r]));
    expect(preview.rows.map((r) => `${r.line}:${r.action}`)).toEqual([
      '2:create',
      '3:blank',
      '4:create',
      '5:create',
      '7:duplicate_in_file',
      '8:create',
      '9:error',
      '10:error',
      '11:create',
      '13:create',
      '14:blank',
    ]);
    expect(byLine[5]?.warnings).toEqual([
      { field: 'assigned_on_site', message: expect.stringContaining('"nobody.here@example.com"') },
    ]);
    expect(byLine[7]?.errors[0]?.message).toContain('line 2');
    expect(byLine[8]?.warnings).toEqual([
      { field: 'quarter', message: expect.stringContaining('"Q9 FY26"') },
    ]);
    expect(byLine[9]?.errors).toEqual([{ field: 'name', message: 'is required' }]);
    expect(byLine[10]?.errors).toEqual([{ field: 'starts_on', message: '"someday" is not a date' }]);
    expect(byLine[13]?.warnings).toEqual([{ field: 'region', message: expect.stringContaining('"Mars"') }]);
    const issues = await priya.json<ImportPreview>(`${base}/${preview.id}?rows=issues&rowsLimit=2`);
    expect([issues.rowsTotal, issues.rows.map((r) => r.line)]).toEqual([6, [5, 7]]);
    expect(Number((await db().select({ n: count() }).from(events))[0]?.n)).toBe(0);
  });

  it('applies it: exactly the expected events, assignments, audit and learned alias', async () => {
    const { final } = await applyAndWait(priya, preview.id);
    expect([final.status, final.processedRows, final.rows, final.error]).toEqual(['applied', 11, [], null]);
    expect(final.counts).toMatchObject({ create: 6, error: 2, duplicateInFile: 1, blank: 2 });
    const berlin = await eventByName('DevDay Berlin');
    expect(berlin).toMatchObject({
      eventType: 'regional_dev_day',
      startsOn: '2026-03-05',
      endsOn: '2026-03-06',
      status: 'confirmed',
      region: 'EMEA',
      attendance: 'on_site',
      location: 'Berlin',
      accountName: 'Acme GmbH',
      quarter: 'Q4 FY26',
      ownerId: ids['erik.lindqvist'],
      createdBy: ids['priya.raman'],
      isActive: false,
      version: 1,
    });
    expect(await assignmentsOf(berlin?.id as string)).toEqual([
      'fatima.zahra:on_site',
      'gustav.berg:on_site',
      'hannah.schmidt:remote',
    ]);
    const nyc = await eventByName('Atlas Workshop NYC');
    expect(nyc).toMatchObject({
      startsOn: '2026-03-17',
      endsOn: '2026-03-17',
      status: 'planning',
      eventType: 'workshop_webinar',
      region: 'AMER',
      ownerId: ids['maya.patel'],
    });
    expect(await assignmentsOf(nyc?.id as string)).toEqual(['ari.levy:on_site', 'ben.carter:on_site']);
    const sp = await eventByName('Hackathon São Paulo');
    expect(sp).toMatchObject({
      startsOn: '2026-03-05',
      endsOn: '2026-03-07',
      status: 'completed',
      eventType: 'hackathon',
      region: 'LATAM',
      attendance: 'hybrid',
      ownerId: ids['priya.raman'],
    });
    expect(await assignmentsOf(sp?.id as string)).toEqual(['camila.reyes:on_site']);
    expect(await eventByName('Office Hours APAC')).toMatchObject({
      startsOn: '2026-03-19',
      status: 'cancelled',
      eventType: 'office_hours',
      region: 'APAC',
      attendance: 'virtual',
      quarter: null,
    });
    expect(await eventByName('Ambiguous Date Meetup')).toMatchObject({
      startsOn: '2026-04-05',
      eventType: 'build_and_learn',
      attendance: 'virtual',
    });
    expect(await eventByName('Junk Region Day')).toMatchObject({
      region: null,
      eventType: 'architect_day',
      endsOn: '2026-03-21',
    });
    const created = await db()
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'event.created'));
    expect(created.map((a) => (a.details as { importId?: string }).importId)).toEqual(
      Array(6).fill(preview.id),
    );
    const [applied] = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'event_import.applied'));
    expect(applied?.details).toMatchObject({ totalRows: 11, created: 6, updated: 0, errors: 2, blank: 2 });
    // The upload was audited too, with what applying it would do.
    const [uploaded] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'event_import.uploaded'), eq(auditEvents.targetId, preview.id)));
    expect(uploaded?.details).toMatchObject({ totalRows: 11, created: 6, errors: 2, fileName: 'pmo.csv' });
    const [stored] = await db().select().from(eventImports).where(eq(eventImports.id, preview.id));
    expect([stored?.content, stored?.fileSha256.length]).toEqual([null, 64]);
    const aliases = await priya.json<ImportAliasList>('/api/v1/import-aliases');
    expect(aliases.items.map((a) => `${a.header}:${a.field}:${a.uses}`)).toEqual([
      'Acount Nme:account_name:0',
    ]);
  });

  it('re-importing the same file changes nothing: all unchanged, no event audit', async () => {
    const before = await eventAudits();
    const again = await upload(priya, messy);
    expect(again.columns.find((c) => c.header === 'Acount Nme')?.match).toBe('learned');
    expect(again.counts).toMatchObject({ create: 0, update: 0, unchanged: 6, error: 2 });
    const { final } = await applyAndWait(priya, again.id);
    expect(final.counts).toMatchObject({ create: 0, update: 0, unchanged: 6 });
    expect(await eventAudits()).toBe(before);
    const versions = await db().select({ v: events.version }).from(events);
    expect(versions.every((e) => e.v === 1)).toBe(true);
    const aliases = await priya.json<ImportAliasList>('/api/v1/import-aliases');
    expect(aliases.items[0]?.uses).toBe(1);
    expect((await priya.post(`${base}/${again.id}/apply`, {})).status).toBe(409);
  });
});

describe('learned aliases', () => {
  it('a manual mapping is learned on apply and used as `learned` on the next upload', async () => {
    const csv = 'Anlass,Wann,Quartal,Xyzzy\nFrankfurt Meetup,2026-06-01,Q1 FY27,Messe\n';
    const first = await upload(priya, csv, { mapping: { Anlass: 'name', Wann: 'starts_on' } });
    expect(first.columns.map((c) => `${c.field}:${c.match}`)).toEqual([
      'name:manual',
      'starts_on:manual',
      'quarter:fuzzy',
      'null:none',
    ]);
    const remapped = await priya.send('PUT', `${base}/${first.id}/mapping`, {
      mapping: { Xyzzy: 'location' },
    });
    expect(remapped.status).toBe(200);
    const [remapAudit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'event_import.remapped'), eq(auditEvents.targetId, first.id)));
    expect(remapAudit?.details).toEqual({ changed: { Xyzzy: 'location' } });
    expect(((await remapped.json()) as ImportPreview).columns.map((c) => `${c.field}:${c.match}`)).toEqual([
      'name:manual',
      'starts_on:manual',
      'quarter:fuzzy',
      'location:manual',
    ]);
    await applyAndWait(priya, first.id);
    expect(await eventByName('Frankfurt Meetup')).toMatchObject({ location: 'Messe', quarter: 'Q1 FY27' });
    const next = await upload(priya, 'ANLASS!!, wann ,quartal,XYZZY\nKöln Meetup,2026-06-02,Q1 FY27,Dom\n');
    expect(next.columns.map((c) => `${c.field}:${c.match}`)).toEqual([
      'name:learned',
      'starts_on:learned',
      'quarter:learned',
      'location:learned',
    ]);
    const learned = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'import_alias.learned'));
    expect(learned.map((a) => (a.details as { header: string }).header).sort()).toEqual([
      'Acount Nme',
      'Anlass',
      'Quartal',
      'Wann',
      'Xyzzy',
    ]);
  });

  it('only admins forget an alias (audited)', async () => {
    const { items } = await maya.json<ImportAliasList>('/api/v1/import-aliases');
    const anlass = items.find((a) => a.header === 'Anlass');
    expect(anlass?.learnedBy?.id).toBe(ids['priya.raman']);
    const remove = (who: Session) =>
      who.fetch(`/api/v1/import-aliases/${anlass?.id}`, {
        method: 'DELETE',
        headers: { 'x-csrf-token': who.csrf },
      });
    expect((await remove(maya)).status).toBe(403);
    expect((await remove(priya)).status).toBe(204);
    expect((await remove(priya)).status).toBe(404);
    const [deleted] = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'import_alias.deleted'));
    expect(deleted?.details).toEqual({ header: 'Anlass', field: 'name' });
  });
});

describe('who may import what', () => {
  let mayaImport: ImportPreview;

  it('a manager cannot update or own events outside their scope (row errors); in-scope rows update', async () => {
    const csv = [
      'Event,Start,Status,Owner',
      'DevDay Berlin,2026-03-05,Completed,',
      'Atlas Workshop NYC,2026-03-17,✅ Confirmed,',
      'Maya Side Event,2026-05-01,,fatima.zahra@example.com',
    ].join('\n');
    mayaImport = await upload(maya, csv);
    expect(mayaImport.rows.map((r) => [r.action, r.changes, r.errors.map((e) => e.field)])).toEqual([
      ['error', ['status'], ['name']],
      ['update', ['status'], []],
      ['error', [], ['owner']],
    ]);
    expect(mayaImport.rows[0]?.errors[0]?.message).toContain('outside your scope');
    const before = await eventAudits();
    const { final } = await applyAndWait(maya, mayaImport.id);
    expect(final.counts).toMatchObject({ update: 1, error: 2 });
    expect(await eventByName('Atlas Workshop NYC')).toMatchObject({ status: 'confirmed', version: 2 });
    expect(await eventByName('DevDay Berlin')).toMatchObject({ status: 'confirmed', version: 1 });
    expect(await eventAudits()).toBe(before + 1);
    const [updated] = await db()
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'event.updated'),
          sql`${auditEvents.details}->>'importId' = ${mayaImport.id}`,
        ),
      );
    expect(updated?.details).toEqual({
      fromVersion: 1,
      toVersion: 2,
      changed: ['status'],
      importId: mayaImport.id,
    });
  });

  it('advocates get 403; another manager’s import is 404; admins see every import', async () => {
    const denied = await ari.post(base, { fileName: 'x.csv', csv: 'Event,Start\nA,2026-01-01\n' });
    expect(denied.status).toBe(403);
    expect((await ari.get(base)).status).toBe(403);
    expect((await erik.get(`${base}/${mayaImport.id}`)).status).toBe(404);
    expect((await erik.post(`${base}/${mayaImport.id}/apply`, {})).status).toBe(404);
    expect((await priya.get(`${base}/${mayaImport.id}`)).status).toBe(200);
    const mine = await maya.json<{ items: { id: string }[] }>(base);
    expect(mine.items.map((i) => i.id)).toEqual([mayaImport.id]);
    const all = await priya.json<{ items: { id: string }[] }>(base);
    expect(all.items[0]?.id).toBe(mayaImport.id);
    expect(all.items.length).toBe(5);
  });
});

describe('bad input', () => {
  it('answers 400 naming the field', async () => {
    const post = (body: Record<string, unknown>) => priya.post(base, { fileName: 'bad.csv', ...body });
    expect(await fieldsOf(await post({ csv: '' }))).toContain('body.csv');
    expect(await fieldsOf(await post({ csv: '\uFEFF \r\n' }))).toEqual(['body.csv']);
    expect(await fieldsOf(await post({ csv: 'Event,Start\r\n' }))).toEqual(['body.csv']);
    const wide = `${Array.from({ length: LIMITS.importColumns + 1 }, (_, i) => `c${i}`).join(',')}\nx\n`;
    expect(await fieldsOf(await post({ csv: wide }))).toEqual(['body.csv']);
    const tall = `Event,Start\n${'a,2026-01-01\n'.repeat(LIMITS.importRows + 1)}`;
    expect(await fieldsOf(await post({ csv: tall }))).toEqual(['body.csv']);
    const csv = 'Event,Start,Other\nA,2026-01-01,x\n';
    expect(await fieldsOf(await post({ csv, mapping: { Event: 'name', Other: 'name' } }))).toEqual([
      'body.mapping',
    ]);
    expect(await fieldsOf(await post({ csv, mapping: { Event: 'nope' } }))).toEqual(['body.mapping.Event']);
    expect(await fieldsOf(await post({ csv, mapping: { Missing: 'name' } }))).toEqual([
      'body.mapping.Missing',
    ]);
    expect(await fieldsOf(await post({ csv: 'a,"b\n' }))).toEqual(['body.csv']);
  });

  it('refuses to apply without the required columns, and re-mapping once applied', async () => {
    const preview = await upload(priya, 'Title,When\nA,someday\n', { mapping: { When: null } });
    expect(preview.missingRequired).toEqual(['starts_on']);
    expect((await priya.post(`${base}/${preview.id}/apply`, {})).status).toBe(409);
    const done = await upload(priya, 'Event,Start\nTiny Event,2026-07-01\n');
    await applyAndWait(priya, done.id);
    const put = await priya.send('PUT', `${base}/${done.id}/mapping`, { mapping: { Event: null } });
    expect(put.status).toBe(409);
  });
});

describe('a large file', () => {
  it('3,000 rows: processedRows progresses while applying, then all are created', async () => {
    const lines = ['Event;Start;Region'];
    for (let i = 0; i < 3000; i += 1)
      lines.push(`Bulk Event ${i};2027-01-${String((i % 28) + 1).padStart(2, '0')};EMEA`);
    const preview = await upload(priya, lines.join('\r\n'));
    expect(preview.counts).toMatchObject({ totalRows: 3000, create: 3000 });
    const { final, seen } = await applyAndWait(priya, preview.id);
    expect([final.status, final.processedRows, final.counts.create]).toEqual(['applied', 3000, 3000]);
    expect(seen.some((n) => n > 0 && n < 3000)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const [bulk] = await db().select({ n: count() }).from(events).where(like(events.name, 'Bulk Event %'));
    expect(Number(bulk?.n)).toBe(3000);
  }, 180_000);
});
