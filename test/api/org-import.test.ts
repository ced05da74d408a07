import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/bi.ts';
import { parseOrgArgs, runOrgCommand } from '../../src/cli/org.ts';
import type {
  OrgImport,
  OrgImportPage,
  OrgPersonDetail,
  OrgStatus,
} from '../../src/contract/api/directory.ts';
import { auditEvents, orgImports, orgSources, people } from '../../src/server/db/schema.ts';
import { checkOrgStaleness } from '../../src/server/modules/directory/org-status.service.ts';
import { collect, counter } from '../../src/server/observability/metrics.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The HR feed end to end: dry run → diff → apply → people, hierarchy and audit; an apply refused when the org
 * changed since the preview; a bad file refused with row errors and nothing written; leavers lose their live
 * sessions; the operator CLI; source freshness.
 */
let stack: TestStack;
let offsetMs = 0;
let priya: Session; // admin, MFA
let maya: Session; // manager
let ben: Session; // advocate: leaves in the second import
let dir: string;

const db = () => stack.db.database.db;
const hrRuns = (outcome: 'success' | 'failure') => counter('bi_hr_feed_runs_total', '').value({ outcome });
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

type Row = [string, string, string, string, string, string, string];
const HEADER = 'employee_number,email,name,manager,department,title,builder_relations';
const BASE: Row[] = [
  [
    'E1001',
    'dana.okafor@example.com',
    'Dana Okafor',
    '',
    'Builder Relations',
    'Director, Builder Relations',
    'yes',
  ],
  ['E1002', 'maya.patel@example.com', 'Maya Patel', 'E1001', 'Builder Relations', 'Manager, AMER', 'yes'],
  ['E1003', 'ari.levy@example.com', 'Ari Levy', 'E1002', 'Builder Relations', 'Developer Advocate', 'yes'],
  [
    'E1004',
    'ben.carter@example.com',
    'Ben Carter',
    'E1002',
    'Builder Relations',
    'Senior Developer Advocate',
    'yes',
  ],
  [
    'E1009',
    'gustav.berg@example.com',
    'Gustav Berg',
    'E1002',
    'Builder Relations',
    'Developer Advocate',
    'yes',
  ],
  ['E1011', 'priya.raman@example.com', 'Priya Raman', 'E1001', 'Builder Relations', 'Program Manager', 'yes'],
  ['E5001', 'zoe.quinn@example.com', 'Zoe Quinn', 'E1002', 'Builder Relations', 'Developer Advocate', 'true'],
  [
    'E1008',
    'fatima.zahra@example.com',
    'Fatima Zahra',
    'E1001',
    'Builder Relations',
    'Senior Developer Advocate',
    'yes',
  ],
];
const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const csvOf = (rows: Row[]) => `${HEADER}\n${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`;

async function personBy(email: string) {
  const [row] = await db().select().from(people).where(eq(people.email, email));
  if (!row) throw new Error(`no person ${email}`);
  return row;
}

async function actions(targetId: string) {
  const rows = await db()
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.targetId, targetId))
    .orderBy(auditEvents.seq);
  return rows.map((r) => r.action);
}

async function preview(who: Session, content: string, fileName = 'people.csv') {
  return who.post('/api/v1/org/imports', { fileName, format: 'csv', content });
}

async function previewOk(content: string) {
  const response = await preview(priya, content);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as OrgImport;
}

beforeAll(async () => {
  stack = await startStack({ now: () => new Date(Date.now() + offsetMs) });
  dir = mkdtempSync(path.join(tmpdir(), 'bi-org-'));
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  [maya, ben] = (await Promise.all(['Maya', 'Ben', 'Fatima'].map((w) => stack.signIn(w)))) as [
    Session,
    Session,
  ];
  // Fatima is managed by SCIM (as the SCIM endpoint would have left her): the HR feed must not overwrite her.
  await db()
    .update(people)
    .set({
      orgSource: 'scim',
      status: 'active',
      employeeNumber: 'E1008',
      department: 'Builder Relations EMEA',
      title: 'Senior Developer Advocate',
      sourceRecords: sql`${people.sourceRecords} || '{"scim":{"email":"fatima.zahra@example.com","department":"Builder Relations EMEA"}}'::jsonb`,
    })
    .where(eq(people.email, 'fatima.zahra@example.com'));
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HR feed import', () => {
  let first: OrgImport;

  it('dry run: joiners, field-level movers and SCIM conflicts, and nothing changes', async () => {
    expect((await preview(maya, csvOf(BASE))).status).toBe(403);
    const before = Number((await db().select({ n: count() }).from(people))[0]?.n);
    first = await previewOk(csvOf(BASE));
    expect(first).toMatchObject({
      status: 'previewed',
      fileSha256: sha256(csvOf(BASE)),
      createdBy: { name: 'Priya Raman' },
    });
    expect(first.diff.counts).toEqual({
      rows: 8,
      joiners: 4,
      movers: 3,
      leavers: 0,
      unchanged: 0,
      conflicts: 1,
      otherSource: 1,
    });
    expect(first.diff.joiners.map((j) => j.employeeNumber)).toEqual(['E1001', 'E1003', 'E1009', 'E5001']);
    const mayaMove = first.diff.movers.find((m) => m.employeeNumber === 'E1002');
    expect(mayaMove?.changes).toEqual([
      { field: 'manager', before: null, after: 'Dana Okafor (E1001, joining)' },
      { field: 'department', before: null, after: 'Builder Relations' },
      { field: 'title', before: null, after: 'Manager, AMER' },
      { field: 'builderRelations', before: false, after: true },
      { field: 'status', before: 'provisional', after: 'active' },
      { field: 'orgSource', before: null, after: 'hr' },
    ]);
    expect(first.diff.conflicts).toEqual([
      expect.objectContaining({
        employeeNumber: 'E1008',
        managingSource: 'scim',
        fields: [
          { field: 'manager', inEffect: null, asserted: 'Dana Okafor (E1001, joining)' },
          { field: 'department', inEffect: 'Builder Relations EMEA', asserted: 'Builder Relations' },
          { field: 'builderRelations', inEffect: false, asserted: true },
        ],
      }),
    ]);
    expect(Number((await db().select({ n: count() }).from(people))[0]?.n)).toBe(before);
    expect((await personBy('maya.patel@example.com')).status).toBe('provisional');
    expect(await actions(first.id)).toEqual(['org.import.previewed']);
    const listed = await priya.json<OrgImportPage>('/api/v1/org/imports');
    expect(listed.items[0]).toMatchObject({ id: first.id, status: 'previewed', counts: first.diff.counts });
    expect((await priya.json<OrgImport>(`/api/v1/org/imports/${first.id}`)).diff).toEqual(first.diff);
  });

  it('apply: people created and updated in one go, managers resolved, SCIM values kept, audited', async () => {
    expect((await maya.post(`/api/v1/org/imports/${first.id}/apply`, {})).status).toBe(403);
    const runs = hrRuns('success');
    const response = await priya.post(`/api/v1/org/imports/${first.id}/apply`, {});
    expect(response.status, await response.clone().text()).toBe(200);
    expect(hrRuns('success') - runs).toBe(1);
    const applied = (await response.json()) as OrgImport;
    expect(applied).toMatchObject({
      status: 'applied',
      result: { created: 4, updated: 3, reactivated: 0, deactivated: 0, assertionsRecorded: 1 },
    });

    const [dana, mayaRow, ari, zoe, fatima] = await Promise.all(
      ['dana.okafor', 'maya.patel', 'ari.levy', 'zoe.quinn', 'fatima.zahra'].map((n) =>
        personBy(`${n}@example.com`),
      ),
    );
    expect(dana).toMatchObject({
      status: 'active',
      orgSource: 'hr',
      issuer: null,
      managerId: null,
      employeeNumber: 'E1001',
    });
    expect(mayaRow).toMatchObject({
      status: 'active',
      orgSource: 'hr',
      managerId: dana?.id,
      managerRef: 'E1001',
    });
    expect(ari).toMatchObject({
      managerId: mayaRow?.id,
      builderRelations: true,
      title: 'Developer Advocate',
    });
    expect(zoe).toMatchObject({ managerId: mayaRow?.id, displayName: 'Zoe Quinn' });
    // SCIM manages Fatima: her values stay; what HR asserted is recorded beside them.
    expect(fatima).toMatchObject({
      orgSource: 'scim',
      department: 'Builder Relations EMEA',
      managerId: null,
    });
    expect(fatima?.sourceRecords.hr).toMatchObject({ department: 'Builder Relations', manager: 'E1001' });

    const events = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, first.id))
      .orderBy(auditEvents.seq);
    expect(events.map((e) => e.action)).toEqual(['org.import.previewed', 'org.import.applied']);
    expect(events[1]?.details).toEqual({
      fileSha256: sha256(csvOf(BASE)),
      joiners: 4,
      movers: 3,
      leavers: 0,
      unchanged: 0,
    });
    expect(await actions(dana?.id ?? '')).toEqual(['org.person.created']);
    const updated = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'org.person.updated'), eq(auditEvents.targetId, mayaRow?.id ?? '')));
    expect(updated[0]?.details).toMatchObject({
      source: 'hr',
      managerId: dana?.id,
      department: 'Builder Relations',
    });

    const [source] = await db().select().from(orgSources).where(eq(orgSources.id, 'hr'));
    expect(source).toMatchObject({ enabled: true, lastError: null, lastCounts: { joiners: 4, movers: 3 } });

    // Manager chain and direct reports; Maya now also manages her reporting tree (org facts).
    const detail = await priya.json<OrgPersonDetail>(`/api/v1/org/people/${ari?.id}`);
    expect(detail.chain.map((c) => c.name)).toEqual(['Maya Patel', 'Dana Okafor']);
    const mayaDetail = await priya.json<OrgPersonDetail>(`/api/v1/org/people/${mayaRow?.id}`);
    expect(mayaDetail.directReports.items.map((r) => r.name)).toEqual([
      'Ari Levy',
      'Ben Carter',
      'Gustav Berg',
      'Zoe Quinn',
    ]);
    expect(mayaDetail).toMatchObject({ role: 'manager', scope: { trees: [mayaRow?.id], teams: ['amer'] } });
    expect(mayaDetail.entitlements.map((e) => e.scopeKind)).toContain('tree');

    expect((await priya.post(`/api/v1/org/imports/${first.id}/apply`, {})).status).toBe(409);
    expect((await priya.post(`/api/v1/org/imports/${first.id}/discard`, {})).status).toBe(409);
  });

  it('a first sign-in links to the person the HR feed created', async () => {
    const gustav = await personBy('gustav.berg@example.com');
    await stack.signIn('Gustav');
    const after = await personBy('gustav.berg@example.com');
    expect(after).toMatchObject({
      id: gustav.id,
      issuer: stack.idp.issuer,
      status: 'active',
      orgSource: 'hr',
    });
    expect(await actions(gustav.id)).toEqual([
      'org.person.created',
      'org.person.linked',
      'auth.sign_in.succeeded',
    ]);
  });

  it('refuses to apply a preview when the org changed since, records the failure, writes nothing', async () => {
    const withoutBen = BASE.filter((r) => r[0] !== 'E1004');
    const stale = await previewOk(csvOf(withoutBen));
    expect(stale.diff.counts).toMatchObject({
      leavers: 1,
      movers: 0,
      unchanged: 6,
      otherSource: 1,
      joiners: 0,
    });
    expect(stale.diff.leavers.map((l) => l.name)).toEqual(['Ben Carter']);
    await stack.signIn('Hannah'); // a first sign-in: a new (provisional) person
    const failures = hrRuns('failure');
    const response = await priya.post(`/api/v1/org/imports/${stale.id}/apply`, {});
    expect(response.status).toBe(409);
    expect(hrRuns('failure') - failures).toBe(1);
    expect(((await response.json()) as { detail: string }).detail).toContain('Preview the file again');
    expect((await personBy('ben.carter@example.com')).status).toBe('active');
    expect((await ben.get('/api/v1/me')).status).toBe(200);
    const [row] = await db().select().from(orgImports).where(eq(orgImports.id, stale.id));
    expect(row?.status).toBe('failed');
    const [source] = await db().select().from(orgSources).where(eq(orgSources.id, 'hr'));
    expect(source?.lastError).toContain('The org changed since this preview');
    expect(await actions(stale.id)).toEqual(['org.import.previewed']);
  });

  it('a leaver is deactivated: live session ended, and the import is audited per person', async () => {
    const withoutBenAndGustav = BASE.filter((r) => r[0] !== 'E1004' && r[0] !== 'E1009');
    withoutBenAndGustav[2] = [
      'E1003',
      'ari.levy@example.com',
      'Ari Levy',
      'E1002',
      'Builder Relations',
      'Senior Developer Advocate',
      'yes',
    ];
    const gustav = await stack.signIn('Gustav');
    const fresh = await previewOk(csvOf(withoutBenAndGustav));
    expect(fresh.diff.counts).toMatchObject({ leavers: 2, movers: 1, unchanged: 4 });
    expect(fresh.diff.movers[0]?.changes).toEqual([
      { field: 'title', before: 'Developer Advocate', after: 'Senior Developer Advocate' },
    ]);
    const applied = await priya.post(`/api/v1/org/imports/${fresh.id}/apply`, {});
    expect(applied.status, await applied.clone().text()).toBe(200);
    expect(((await applied.json()) as OrgImport).result).toMatchObject({
      deactivated: 2,
      updated: 1,
      sessionsEnded: 3,
    });
    for (const who of [ben, gustav]) expect((await who.get('/api/v1/me')).status).toBe(401);
    const benRow = await personBy('ben.carter@example.com');
    expect(benRow.status).toBe('deactivated');
    const deactivated = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'org.person.deactivated'), eq(auditEvents.targetId, benRow.id)));
    expect(deactivated[0]?.details).toEqual({ source: 'hr', sessionsEnded: 1, tokensRevoked: 0 });
    expect((await personBy('ari.levy@example.com')).title).toBe('Senior Developer Advocate');
  });

  it('a bad file answers 400 naming rows and columns, and writes nothing', async () => {
    const imports = Number((await db().select({ n: count() }).from(orgImports))[0]?.n);
    const bad = `${HEADER}\nE1001,dana.okafor@example.com,Dana,,BR,Director,yes\nE7001,not-an-email,X,E1001,,,\nE7002,y@example.com,Y,E404,,,perhaps\n`;
    const response = await preview(priya, bad);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as {
      detail: string;
      errors: { field: string; message: string }[];
    };
    expect(problem.detail).toContain('Nothing was imported');
    expect(problem.errors).toEqual([
      { field: 'row 3: email', message: '"not-an-email" is not a valid e-mail address' },
      { field: 'row 4: builder_relations', message: 'must be true/false, yes/no or 1/0 (got "perhaps")' },
    ]);
    const unknownManager = await preview(priya, `${HEADER}\nE7002,y@example.com,Y,E404,,,\n`);
    expect(unknownManager.status).toBe(400);
    expect(((await unknownManager.json()) as { errors: unknown[] }).errors).toContainEqual({
      field: 'row 2: manager',
      message: 'E404 is neither in the file nor an existing person',
    });
    expect(
      (await priya.post('/api/v1/org/imports', { fileName: 'x.csv', format: 'xml', content: 'a' })).status,
    ).toBe(400);
    expect(Number((await db().select({ n: count() }).from(orgImports))[0]?.n)).toBe(imports);
    expect(
      await db()
        .select()
        .from(people)
        .where(inArray(people.email, ['y@example.com'])),
    ).toEqual([]);
  });

  it('discards a preview (audited); the CLI previews and applies a file', async () => {
    const current = BASE.filter((r) => r[0] !== 'E1004' && r[0] !== 'E1009');
    const kept = await previewOk(csvOf(current));
    const discarded = await priya.post(`/api/v1/org/imports/${kept.id}/discard`, {});
    expect(((await discarded.json()) as OrgImport).status).toBe('discarded');
    expect(await actions(kept.id)).toEqual(['org.import.previewed', 'org.import.discarded']);

    const file = path.join(dir, 'nightly.csv');
    writeFileSync(
      file,
      csvOf([...current, ['E5002', 'yara.nunez@example.com', 'Yara Nunez', 'E1001', 'Product', 'PM', 'no']]),
    );
    const cli = async (args: string[], values: { apply?: boolean; format?: string } = {}) => {
      const out: string[] = [];
      const err: string[] = [];
      const command = parseOrgArgs(args, values);
      if ('error' in command) throw new Error(command.error);
      const code = await runOrgCommand(
        db(),
        command,
        (l) => out.push(l),
        (l) => err.push(l),
        () => new Date(Date.now() + offsetMs),
      );
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const dry = await cli(['import', file]);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('joiners 1, movers 1, leavers 0');
    expect(dry.out).toMatch(
      /row 8 {2}E5002 {2}Yara Nunez <yara.nunez@example.com>, Product \/ PM, reports to Dana Okafor \(E1001\)/,
    );
    expect(dry.out).toContain('Dry run: nothing changed.');
    expect(await db().select().from(people).where(eq(people.email, 'yara.nunez@example.com'))).toEqual([]);

    const applied = await cli(['import', file], { apply: true });
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toContain('Applied');
    expect(await personBy('yara.nunez@example.com')).toMatchObject({
      orgSource: 'hr',
      department: 'Product',
    });

    const badFile = path.join(dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ people: [{ employee_number: 'E9', email: 'nope' }] }));
    const failed = await cli(['import', badFile]);
    expect(failed).toMatchObject({ code: 1, err: expect.stringContaining('row 1: email') });
    expect(parseOrgArgs(['import', 'people.txt'], {})).toMatchObject({
      error: expect.stringContaining('--format'),
    });
    const usage: string[] = [];
    const code = await runCli(
      ['org', 'import'],
      () => {},
      (l) => usage.push(l),
      { SESSION_SECRET: 'x'.repeat(40) },
    );
    expect(code).toBe(2);
    expect(usage.join('\n')).toContain('Usage: bi org import');
  });

  it('source status: staleness against the configured limit, a never-synced source that manages people', async () => {
    const status = await priya.json<OrgStatus>('/api/v1/org/status');
    const hr = status.sources.find((s) => s.source === 'hr');
    const scim = status.sources.find((s) => s.source === 'scim');
    expect(hr).toMatchObject({ enabled: true, stale: false, inUse: true, maxStalenessMinutes: 36 * 60 });
    expect(scim).toMatchObject({
      stale: true,
      managedPeople: 1,
      staleReason: 'Never synced, yet it manages 1 person.',
    });
    expect(status.people.bySource.scim).toBe(1);
    expect(status.people.deactivated).toBe(2);
    expect((await maya.get('/api/v1/org/status')).status).toBe(403);

    expect(
      (await priya.send('PUT', '/api/v1/org/sources/hr', { enabled: true, maxStalenessMinutes: 10 })).status,
    ).toBe(400);
    expect(
      (await maya.send('PUT', '/api/v1/org/sources/hr', { enabled: true, maxStalenessMinutes: 15 })).status,
    ).toBe(403);
    const set = await priya.send('PUT', '/api/v1/org/sources/hr', { enabled: true, maxStalenessMinutes: 15 });
    expect(set.status, await set.clone().text()).toBe(200);
    expect(await actions('hr')).toContain('org.source.configured');

    offsetMs = 16 * 60_000;
    try {
      const later = await priya.json<OrgStatus>('/api/v1/org/status');
      expect(later.sources.find((s) => s.source === 'hr')).toMatchObject({
        stale: true,
        staleReason: expect.stringMatching(
          /^Last successful sync 1[67] minutes ago; the limit is 15 minutes\.$/,
        ),
      });
      const job = await checkOrgStaleness(db(), new Date(Date.now() + offsetMs));
      expect(job.stale).toEqual(['scim', 'hr']);
      // The gauges read the same assessment from the database at scrape time (the app's clock).
      const metrics = await collect();
      const gauge = metrics.find((m) => m.name === 'bi_org_source_stale');
      expect(gauge?.samples).toContainEqual({ labels: { source: 'hr' }, value: 1 });
      const age = metrics.find((m) => m.name === 'bi_org_source_last_success_age_seconds');
      const hrAge = age?.samples.find((s) => s.labels.source === 'hr')?.value ?? 0;
      expect(hrAge).toBeGreaterThanOrEqual(16 * 60);
    } finally {
      offsetMs = 0;
    }
    // A disabled source is never stale, and the HR feed refuses imports while disabled.
    expect(
      (await priya.send('PUT', '/api/v1/org/sources/hr', { enabled: false, maxStalenessMinutes: 15 })).status,
    ).toBe(200);
    expect((await preview(priya, csvOf(BASE))).status).toBe(409);
    await priya.send('PUT', '/api/v1/org/sources/hr', { enabled: true, maxStalenessMinutes: 36 * 60 });
  });
});
