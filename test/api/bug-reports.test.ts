import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BugAssigneeList,
  BugReport,
  BugReportNote,
  BugReportPage,
} from '../../src/contract/api/bug-reports.ts';
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
      expect((await patch(who, body.id, { version: 1, status: 'resolved' })).status).toBe(403);
      expect((await who.post(`/api/v1/bug-reports/${body.id}/notes`, { body: 'me too' })).status).toBe(403);
      expect((await who.get(`/api/v1/bug-reports/${body.id}/notes`)).status).toBe(403);
      expect((await who.get('/api/v1/bug-reports/assignees')).status).toBe(403);
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

  const load = async (id: string) => {
    const response = await priya.get('/api/v1/bug-reports?limit=100');
    const page = (await response.json()) as BugReportPage;
    return page.items.find((r) => r.id === id) as BugReport;
  };
  const ok = async (response: Response) => {
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as BugReport;
  };

  it('changes status, priority and assignee from the version it saw; each kind of change audited once', async () => {
    const { body } = await submit(ari);
    const fresh = await load(body.id);
    expect(fresh).toMatchObject({ status: 'new', priority: null, assignee: null, version: 1, notes: [] });
    const me = (await priya.json<{ person: { id: string } }>('/api/v1/me')).person.id;

    const triaged = await ok(await patch(priya, body.id, { version: 1, status: 'in_progress' }));
    expect(triaged).toMatchObject({ status: 'in_progress', version: 2 });
    expect(triaged.triagedBy?.name).toMatch(/^Priya/);
    expect(triaged.triagedAt).not.toBeNull();
    expect(triaged.reporter.name).toMatch(/^Ari/);

    const assigned = await ok(await patch(priya, body.id, { version: 2, priority: 'high', assigneeId: me }));
    expect(assigned).toMatchObject({ status: 'in_progress', priority: 'high', version: 3 });
    expect(assigned.assignee).toMatchObject({ id: me });
    expect(assigned.assignee?.name).toMatch(/^Priya/);

    // The same values again: nothing changes, no new version, no audit event.
    const same = await ok(await patch(priya, body.id, { version: 3, priority: 'high' }));
    expect(same.version).toBe(3);

    const cleared = await ok(
      await patch(priya, body.id, { version: 3, status: 'resolved', priority: null, assigneeId: null }),
    );
    expect(cleared).toMatchObject({ status: 'resolved', priority: null, assignee: null, version: 4 });

    const events = (await auditOf(body.id)).filter((e) => e.action !== 'bug_report.submitted');
    expect(events.map((e) => [e.action, e.details])).toEqual([
      ['bug_report.triaged', { fromStatus: 'new', toStatus: 'in_progress', fromVersion: 1, toVersion: 2 }],
      ['bug_report.updated', { fromVersion: 2, toVersion: 3, changed: ['priority', 'assigneeId'] }],
      [
        'bug_report.triaged',
        { fromStatus: 'in_progress', toStatus: 'resolved', fromVersion: 3, toVersion: 4 },
      ],
      ['bug_report.updated', { fromVersion: 3, toVersion: 4, changed: ['priority', 'assigneeId'] }],
    ]);
    expect(events[0]?.actorRole).toBe('admin');
  });

  it('answers a stale version with 409 carrying the current report, changing nothing', async () => {
    const { body } = await submit(ari);
    await ok(await patch(priya, body.id, { version: 1, priority: 'low' }));
    const auditBefore = (await auditOf(body.id)).length;
    const stale = await patch(priya, body.id, { version: 1, status: 'wont_fix' });
    expect(stale.status).toBe(409);
    const problem = (await stale.json()) as { current?: BugReport };
    expect(problem.current).toMatchObject({ id: body.id, status: 'new', priority: 'low', version: 2 });
    expect(await load(body.id)).toMatchObject({ status: 'new', version: 2 });
    expect((await auditOf(body.id)).length).toBe(auditBefore);
  });

  it('assigns only active admins: anyone else is a 400 naming assigneeId', async () => {
    const { body } = await submit(ari);
    const assignees = await priya.json<BugAssigneeList>('/api/v1/bug-reports/assignees');
    expect(assignees.items.some((p) => p.name.startsWith('Priya'))).toBe(true);
    const ariId = (await ari.json<{ person: { id: string } }>('/api/v1/me')).person.id;
    expect(assignees.items.some((p) => p.id === ariId)).toBe(false);
    for (const assigneeId of [ariId, randomUUID()]) {
      const refused = await patch(priya, body.id, { version: 1, assigneeId });
      expect(refused.status).toBe(400);
      const problem = (await refused.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toEqual(['assigneeId']);
    }
    expect((await load(body.id)).assignee).toBeNull();
  });

  it('keeps a notes thread, newest last, audited; returned with the report and on its own', async () => {
    const { body } = await submit(ari);
    const first = await priya.post(`/api/v1/bug-reports/${body.id}/notes`, {
      body: '  Reproduced on iOS 18  ',
    });
    expect(first.status, await first.clone().text()).toBe(201);
    const note = (await first.json()) as BugReportNote;
    expect(note).toMatchObject({ body: 'Reproduced on iOS 18' });
    expect(note.author.name).toMatch(/^Priya/);
    await priya.post(`/api/v1/bug-reports/${body.id}/notes`, { body: 'Fixed in 1.4.1' });
    const thread = await priya.json<{ items: BugReportNote[] }>(`/api/v1/bug-reports/${body.id}/notes`);
    expect(thread.items.map((n) => n.body)).toEqual(['Reproduced on iOS 18', 'Fixed in 1.4.1']);
    expect((await load(body.id)).notes.map((n) => n.body)).toEqual([
      'Reproduced on iOS 18',
      'Fixed in 1.4.1',
    ]);
    // A note is not a triage edit: the version stays, so an admin editing the status meanwhile is not refused.
    expect((await load(body.id)).version).toBe(1);
    const added = (await auditOf(body.id)).filter((e) => e.action === 'bug_report.note_added');
    expect(added.map((e) => e.details)).toEqual([{ noteId: note.id }, { noteId: expect.any(String) }]);

    for (const bad of [
      { body: '   ' },
      { body: 'x'.repeat(LIMITS.noteBody + 1) },
      { body: 'ok', extra: 1 },
      {},
    ]) {
      const refused = await priya.post(`/api/v1/bug-reports/${body.id}/notes`, bad);
      expect(refused.status).toBe(400);
    }
    expect((await priya.post(`/api/v1/bug-reports/${randomUUID()}/notes`, { body: 'hello' })).status).toBe(
      404,
    );
    expect((await priya.get(`/api/v1/bug-reports/${randomUUID()}/notes`)).status).toBe(404);
  });

  it('filters by status, priority and assignee (me, none, an id), with counts whatever the filter', async () => {
    const { body } = await submit(ari);
    const me = (await priya.json<{ person: { id: string } }>('/api/v1/me')).person.id;
    await ok(
      await patch(priya, body.id, { version: 1, priority: 'critical', assigneeId: me, status: 'triaged' }),
    );
    for (const query of ['?assignee=me', `?assignee=${me}`, '?priority=critical', '?status=triaged']) {
      const page = await listAll(priya, query);
      expect(page.items.map((r) => r.id)).toContain(body.id);
    }
    expect((await listAll(priya, '?assignee=me')).items.every((r) => r.assignee?.id === me)).toBe(true);
    expect((await listAll(priya, '?priority=critical')).items.every((r) => r.priority === 'critical')).toBe(
      true,
    );
    const unassigned = await listAll(priya, '?assignee=none&priority=none');
    expect(unassigned.items.map((r) => r.id)).not.toContain(body.id);
    expect(unassigned.items.every((r) => r.assignee === null && r.priority === null)).toBe(true);
    expect(unassigned.priorityCounts.map((c) => c.priority)).toEqual([
      'low',
      'medium',
      'high',
      'critical',
      'none',
    ]);
    expect(unassigned.priorityCounts.find((c) => c.priority === 'critical')?.count).toBeGreaterThanOrEqual(1);
    for (const bad of ['?priority=urgent', '?assignee=someone', '?status=closed'])
      expect((await priya.get(`/api/v1/bug-reports${bad}`)).status).toBe(400);
  });

  it('answers 404 for an unknown report and 400 for bad input, naming the field', async () => {
    expect((await patch(priya, randomUUID(), { version: 1, status: 'triaged' })).status).toBe(404);
    const { body } = await submit(ari);
    for (const bad of [
      { version: 1, status: 'closed' },
      { version: 1, priority: 'urgent' },
      { status: 'triaged' },
      { version: 1 },
      { version: 1, note: 'the old note field is gone' },
    ])
      expect((await patch(priya, body.id, bad)).status, JSON.stringify(bad)).toBe(400);
  });
});
