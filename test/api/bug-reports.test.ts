import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BugReport, BugReportPage } from '../../src/contract/api/bug-reports.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { auditEvents, bugReports } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let ari: Session; // advocate
let ben: Session; // advocate
let maya: Session; // manager
let priya: Session; // admin
let victor: Session; // viewer

beforeAll(async () => {
  stack = await startStack();
  [ari, ben, maya, victor] = (await Promise.all(
    ['Ari', 'Ben', 'Maya', 'Victor'].map((who) => stack.signIn(who)),
  )) as [Session, Session, Session, Session];
  priya = await stack.signIn('Priya', { auth: 'mfa' });
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.db.database.db;
const countReports = async () => Number((await db().select({ n: count() }).from(bugReports))[0]?.n);
const auditOf = (targetId: string) =>
  db().select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.seq);
const countAudit = async () =>
  Number(
    (
      await db()
        .select({ n: count() })
        .from(auditEvents)
        .where(eq(auditEvents.action, 'bug_report.submitted'))
    )[0]?.n,
  );

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

function newReport(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    description: 'The Save button did nothing on the second tap',
    screen: 'capture',
    appVersion: '1.4.0+abc123',
    device: { userAgent: 'Mozilla/5.0 (iPhone)', platform: 'iOS', viewport: '390x844', online: false },
    reportedAt: new Date(Date.now() - 60_000).toISOString(),
    ...overrides,
  };
}

async function submit(who: Session, overrides: Record<string, unknown> = {}, expected = 201) {
  const body = newReport(overrides);
  const response = await who.post('/api/v1/bug-reports', body);
  expect(response.status, await response.clone().text()).toBe(expected);
  return { body, receipt: (await response.json()) as { id: string; status: string; createdAt: string } };
}

const patch = (who: Session, id: string, body: unknown) =>
  who.send('PATCH', `/api/v1/bug-reports/${id}`, body);

async function listAll(who: Session, query: string) {
  const response = await who.get(`/api/v1/bug-reports${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as BugReportPage;
}

describe('submitting a bug report', () => {
  it('stores a report without a screenshot, audited once; a resend answers 200 with the same receipt', async () => {
    const { body, receipt } = await submit(ari);
    expect(receipt).toMatchObject({ id: body.id, status: 'new' });
    const [row] = await db().select().from(bugReports).where(eq(bugReports.id, body.id));
    expect(row).toMatchObject({ description: body.description, screen: 'capture', screenshot: null });
    expect(row?.device).toEqual(body.device);

    const again = await ari.post('/api/v1/bug-reports', { ...body, description: 'changed on the resend' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(receipt);
    expect(await db().select().from(bugReports).where(eq(bugReports.id, body.id))).toHaveLength(1);
    const events = await auditOf(body.id);
    expect(events.map((e) => e.action)).toEqual(['bug_report.submitted']);
    expect(events[0]?.details).toEqual({
      screen: 'capture',
      appVersion: '1.4.0+abc123',
      hasScreenshot: false,
    });
  });

  it('stores a real PNG screenshot byte for byte', async () => {
    const { body } = await submit(ben, {
      screenshot: { contentType: 'image/png', base64: PNG.toString('base64') },
    });
    const [row] = await db().select().from(bugReports).where(eq(bugReports.id, body.id));
    expect(row?.screenshotType).toBe('image/png');
    expect(Buffer.compare(row?.screenshot ?? Buffer.alloc(0), PNG)).toBe(0);
    expect((await auditOf(body.id))[0]?.details).toMatchObject({ hasScreenshot: true });
  });

  it('answers 409 when someone else sends an id already used, changing nothing', async () => {
    const { body } = await submit(ari);
    const stolen = await ben.post('/api/v1/bug-reports', { ...body, description: 'Ben overwrites' });
    expect(stolen.status).toBe(409);
    const [row] = await db().select().from(bugReports).where(eq(bugReports.id, body.id));
    expect(row?.description).toBe(body.description);
    expect(await auditOf(body.id)).toHaveLength(1);
  });

  it('lets a viewer report a bug (anyone can hit one)', async () => {
    const { body } = await submit(victor, { screen: 'reports' });
    const [row] = await db().select().from(bugReports).where(eq(bugReports.id, body.id));
    expect(row?.screen).toBe('reports');
  });

  it('refuses a bad screenshot with 400 naming body.screenshot.base64, storing nothing', async () => {
    const tooBig = Buffer.alloc(LIMITS.bugScreenshotBytes + 1);
    PNG.copy(tooBig);
    const cases = [
      { contentType: 'image/png', base64: 'abc' }, // not canonical base64 (missing padding)
      { contentType: 'image/png', base64: 'not base64!' }, // rejected by the schema
      { contentType: 'image/jpeg', base64: PNG.toString('base64') }, // PNG bytes declared JPEG
      { contentType: 'image/png', base64: Buffer.from('<svg onload="alert(1)"/>').toString('base64') },
      { contentType: 'image/png', base64: tooBig.toString('base64') },
    ];
    const [rowsBefore, auditBefore] = [await countReports(), await countAudit()];
    for (const screenshot of cases) {
      const response = await ari.post('/api/v1/bug-reports', newReport({ screenshot }));
      const problem = (await response.json()) as { errors?: { field: string }[] };
      expect({ status: response.status, fields: problem.errors?.map((e) => e.field) }).toEqual({
        status: 400,
        fields: ['body.screenshot.base64'],
      });
    }
    expect([await countReports(), await countAudit()]).toEqual([rowsBefore, auditBefore]);
  });

  it('refuses an empty description and unknown fields, storing nothing', async () => {
    const before = await countReports();
    const blank = await ari.post('/api/v1/bug-reports', newReport({ description: '   ' }));
    expect(blank.status).toBe(400);
    const extra = await ari.post('/api/v1/bug-reports', newReport({ reporterId: randomUUID() }));
    expect(extra.status).toBe(400);
    expect(await countReports()).toBe(before);
  });
});

describe('admin triage', () => {
  it('refuses non-admins the list, the screenshot and triage (403)', async () => {
    const { body } = await submit(ari, {
      screenshot: { contentType: 'image/png', base64: PNG.toString('base64') },
    });
    for (const who of [ari, maya, victor]) {
      expect((await who.get('/api/v1/bug-reports')).status).toBe(403);
      expect((await who.get(`/api/v1/bug-reports/${body.id}/screenshot`)).status).toBe(403);
      expect((await patch(who, body.id, { status: 'resolved' })).status).toBe(403);
    }
    const [row] = await db().select().from(bugReports).where(eq(bugReports.id, body.id));
    expect(row?.status).toBe('new');
  });

  it('lists newest first with reporter names, counts per status, and cursor pages that cover every report', async () => {
    const mine = [];
    for (let i = 0; i < 5; i += 1)
      mine.push((await submit(ben, { description: `paging report ${i}` })).body.id);
    const seen: BugReport[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listAll(priya, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 50);
    const total = await countReports();
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((r) => r.id)).size).toBe(total);
    // Newest first: the five just sent lead, latest first.
    expect(seen.slice(0, 5).map((r) => r.id)).toEqual([...mine].reverse());
    expect(seen[0]?.reporter.name).toMatch(/^Ben/);
    const sorted = [...seen].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    expect(seen.map((r) => r.createdAt)).toEqual(sorted.map((r) => r.createdAt));

    const first = await listAll(priya, '?limit=2');
    expect(first.counts.map((c) => c.status)).toEqual([
      'new',
      'triaged',
      'in_progress',
      'resolved',
      'wont_fix',
    ]);
    expect(first.counts.find((c) => c.status === 'new')?.count).toBe(
      seen.filter((r) => r.status === 'new').length,
    );
    const withShot = seen.find((r) => r.hasScreenshot);
    expect(withShot?.screenshotUrl).toBe(`/api/v1/bug-reports/${withShot?.id}/screenshot`);
    expect(seen.find((r) => !r.hasScreenshot)?.screenshotUrl).toBeNull();

    const bad = await priya.get('/api/v1/bug-reports?cursor=nonsense');
    expect(bad.status).toBe(400);
  });

  it('serves the screenshot bytes with headers that keep them private and inert; 404 when there is none', async () => {
    const { body } = await submit(ari, {
      screenshot: { contentType: 'image/png', base64: PNG.toString('base64') },
    });
    const response = await priya.get(`/api/v1/bug-reports/${body.id}/screenshot`);
    expect(response.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), PNG)).toBe(0);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");

    const without = await submit(ari);
    expect((await priya.get(`/api/v1/bug-reports/${without.body.id}/screenshot`)).status).toBe(404);
    expect((await priya.get(`/api/v1/bug-reports/${randomUUID()}/screenshot`)).status).toBe(404);
  });

  it('triages with a note, audited with from/to status; leaving the note out keeps it, null clears it', async () => {
    const { body } = await submit(ari);
    const triaged = await patch(priya, body.id, { status: 'in_progress', note: 'Reproduced on iOS 18' });
    expect(triaged.status, await triaged.clone().text()).toBe(200);
    const report = (await triaged.json()) as BugReport;
    expect(report).toMatchObject({ id: body.id, status: 'in_progress', triageNote: 'Reproduced on iOS 18' });
    expect(report.triagedBy?.name).toMatch(/^Priya/);
    expect(report.triagedAt).not.toBeNull();
    expect(report.reporter.name).toMatch(/^Ari/);

    const resolved = (await (await patch(priya, body.id, { status: 'resolved' })).json()) as BugReport;
    expect(resolved).toMatchObject({ status: 'resolved', triageNote: 'Reproduced on iOS 18' });
    const cleared = (await (
      await patch(priya, body.id, { status: 'resolved', note: null })
    ).json()) as BugReport;
    expect(cleared.triageNote).toBeNull();

    const events = (await auditOf(body.id)).filter((e) => e.action === 'bug_report.triaged');
    expect(events.map((e) => e.details)).toEqual([
      { fromStatus: 'new', toStatus: 'in_progress', noted: true },
      { fromStatus: 'in_progress', toStatus: 'resolved', noted: false },
      { fromStatus: 'resolved', toStatus: 'resolved', noted: false },
    ]);
    expect(events[0]?.actorRole).toBe('admin');

    const filtered = await listAll(priya, '?status=resolved');
    expect(filtered.items.map((r) => r.id)).toContain(body.id);
    expect(filtered.items.every((r) => r.status === 'resolved')).toBe(true);
  });

  it('answers 404 for an unknown report and 400 for an unknown status', async () => {
    expect((await patch(priya, randomUUID(), { status: 'triaged' })).status).toBe(404);
    const { body } = await submit(ari);
    expect((await patch(priya, body.id, { status: 'closed' })).status).toBe(400);
  });
});
