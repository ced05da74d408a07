import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  HierarchyIssues,
  OrgConflictPage,
  OrgImport,
  OrgPeoplePage,
  OrgPersonDetail,
  OrgStatus,
} from '../../src/contract/api/directory.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { accessExceptions, people } from '../../src/server/db/schema.ts';
import { seedDemoDataIfEmpty } from '../../src/server/modules/demo/demo.seed.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * People with effective access over the demo org (seeded with its HR facts): who sees whom, filters and
 * pagination, provenance, person detail with chain and sources; hierarchy issues; conflicts between sources.
 */
let stack: TestStack;
let priya: Session; // admin
let maya: Session; // manager, AMER + her reporting tree
let ari: Session; // advocate
let victor: Session; // viewer (org-wide reporting, but no directory)
const ids = new Map<string, string>();

const db = () => stack.db.database.db;
const id = (first: string) => ids.get(first) ?? '';

async function pages(who: Session, query: string) {
  const names: string[] = [];
  let cursor: string | null = null;
  let calls = 0;
  do {
    const page: OrgPeoplePage = await who.json<OrgPeoplePage>(
      `/api/v1/org/people?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    names.push(...page.items.map((p) => p.name));
    cursor = page.nextCursor;
    calls += 1;
  } while (cursor && calls < 50);
  return { names, calls };
}

beforeAll(async () => {
  stack = await startStack();
  const seeded = await seedDemoDataIfEmpty(db(), {
    issuer: stack.idp.issuer,
    access: stack.config.access,
    now: new Date(),
  });
  expect(seeded?.people).toBe(14);
  for (const p of await db().select().from(people)) ids.set(p.displayName.split(' ')[0] ?? '', p.id);
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  [maya, ari, victor] = (await Promise.all(['Maya', 'Ari', 'Victor'].map((w) => stack.signIn(w)))) as [
    Session,
    Session,
    Session,
  ];
});
afterAll(async () => {
  await stack?.close();
});

describe('people with effective access', () => {
  it('admins see everyone, with role, scope and provenance computed as the session computes it', async () => {
    const all = await pages(priya, 'limit=100');
    expect(all.names).toHaveLength(14);
    expect(all.names).toEqual([...all.names].sort((a, b) => a.localeCompare(b)));
    const page = await priya.json<OrgPeoplePage>('/api/v1/org/people?q=maya');
    expect(page.items).toHaveLength(1);
    const row = page.items[0];
    const me = await maya.json<Me>('/api/v1/me');
    expect(row).toMatchObject({
      id: id('Maya'),
      email: 'maya.patel@example.com',
      status: 'active',
      department: 'Builder Relations',
      employeeNumber: 'E1002',
      manager: { id: id('Dana'), name: 'Dana Okafor' },
      builderRelations: true,
      orgSource: 'hr',
      role: me.role,
      scope: me.scope,
      hasException: false,
    });
    expect(me.scope).toEqual({ kind: 'limited', teams: ['amer'], trees: [id('Maya')], units: [] });
    expect(row?.entitlements.map((e) => e.reason)).toEqual(me.entitlements.map((e) => e.reason));
    expect(row?.scopeLabel).toBe('Own insights, team amer; reporting tree of Maya Patel');
    expect(
      row?.entitlements.some(
        (e) => e.scopeKind === 'tree' && /direct reports? in Builder Relations/.test(e.reason),
      ),
    ).toBe(true);
  });

  it('managers see only their scope; others in the org answer 404; advocates and viewers 403', async () => {
    const mine = await pages(maya, 'limit=2');
    expect(mine.names).toEqual(['Ari Levy', 'Ben Carter', 'Camila Reyes', 'Jordan Kim', 'Maya Patel']);
    expect(mine.calls).toBe(3);
    expect((await maya.get(`/api/v1/org/people/${id('Fatima')}`)).status).toBe(404);
    expect((await maya.get(`/api/v1/org/people/${id('Dana')}`)).status).toBe(404);
    expect((await maya.get(`/api/v1/org/people/${id('Ari')}`)).status).toBe(200);
    expect((await ari.get('/api/v1/org/people')).status).toBe(403);
    expect((await ari.get(`/api/v1/org/people/${id('Ari')}`)).status).toBe(403);
    expect((await victor.get('/api/v1/org/people')).status).toBe(403);
    expect((await maya.get('/api/v1/org/conflicts')).status).toBe(403);
    expect((await maya.get('/api/v1/org/hierarchy/issues')).status).toBe(403);
  });

  it('filters by name or e-mail prefix, status, source, department, effective role and exceptions', async () => {
    const names = async (query: string) => (await pages(priya, query)).names;
    expect(await names('q=PAT')).toEqual(['Maya Patel']);
    expect(await names('q=jordan.k')).toEqual(['Jordan Kim']);
    expect(await names('q=%25')).toEqual([]);
    expect(await names('role=manager&limit=1')).toEqual(['Dana Okafor', 'Erik Lindqvist', 'Maya Patel']);
    expect(await names('role=viewer')).toEqual(['Lena Brooks', 'Victor Chen']);
    expect(await names('role=none')).toEqual([]);
    expect(await names('department=product')).toEqual(['Victor Chen']);
    expect((await names('source=hr')).length).toBe(14);
    expect(await names('source=none')).toEqual([]);
    expect(await names('status=deactivated')).toEqual([]);

    await db()
      .insert(accessExceptions)
      .values({
        subjectId: id('Ari'),
        role: 'manager',
        scopeKind: 'team',
        scopeTarget: 'emea',
        justification: 'Covering EMEA during parental leave',
        status: 'active',
        requestedBy: id('Maya'),
        requestedAt: new Date(),
        expiresAt: new Date(Date.now() + 7 * 86_400_000),
        decidedBy: id('Priya'),
        decidedAt: new Date(),
      });
    expect(await names('hasException=true')).toEqual(['Ari Levy']);
    expect((await names('hasException=false')).length).toBe(13);
    const [ariRow] = (await priya.json<OrgPeoplePage>('/api/v1/org/people?q=ari')).items;
    expect(ariRow).toMatchObject({ role: 'manager', hasException: true });
    expect(ariRow?.entitlements.find((e) => e.source === 'exception')?.reason).toContain('Covering EMEA');
    expect(await names('role=manager')).toContain('Ari Levy');

    const bad = await priya.get('/api/v1/org/people?role=owner&cursor=nope');
    expect(bad.status).toBe(400);
    expect((await priya.get('/api/v1/org/people?cursor=bm9wZQ')).status).toBe(400);
  });

  it('person detail: manager chain to the top, direct reports, what each source asserted', async () => {
    const ariDetail = await priya.json<OrgPersonDetail>(`/api/v1/org/people/${id('Ari')}`);
    expect(ariDetail.chain.map((c) => c.name)).toEqual(['Maya Patel', 'Dana Okafor', 'Lena Brooks']);
    expect(ariDetail.directReports).toEqual({ count: 0, items: [] });
    expect(ariDetail.sourceRecords.hr).toMatchObject({ employeeNumber: 'E1003', manager: 'E1002' });
    expect(ariDetail.sourceRecords.oidc).toMatchObject({
      email: 'ari.levy@example.com',
      employeeNumber: 'E1003',
    });
    expect(ariDetail.conflicts).toEqual([]);
    const mayaView = await maya.json<OrgPersonDetail>(`/api/v1/org/people/${id('Maya')}`);
    expect(mayaView.directReports.items.map((r) => r.name)).toEqual([
      'Ari Levy',
      'Ben Carter',
      'Camila Reyes',
      'Jordan Kim',
    ]);
  });

  it('hierarchy issues: top of the org, orphans, unresolved manager references', async () => {
    const clean = await priya.json<HierarchyIssues>('/api/v1/org/hierarchy/issues');
    expect(clean.topLevel.items.map((p) => p.name)).toEqual(['Lena Brooks']);
    expect(clean.orphans.count).toBe(0);
    expect(clean.unresolvedManagers.count).toBe(0);
    expect(clean.cycles).toEqual([]);

    await db()
      .update(people)
      .set({ managerId: null, managerRef: null })
      .where(eq(people.id, id('Victor')));
    await db()
      .update(people)
      .set({ managerId: null, managerRef: 'E9999' })
      .where(eq(people.id, id('Noah')));
    const issues = await priya.json<HierarchyIssues>('/api/v1/org/hierarchy/issues');
    expect(issues.orphans.items.map((p) => p.name)).toEqual(['Victor Chen']);
    expect(issues.unresolvedManagers.items).toEqual([
      expect.objectContaining({ name: 'Noah Adeyemi', managerRef: 'E9999', orgSource: 'hr' }),
    ]);
    const status = await priya.json<OrgStatus>('/api/v1/org/status');
    expect(status.hierarchyIssues).toBe(2);
    expect(status.sources.find((s) => s.source === 'hr')).toMatchObject({ stale: false, managedPeople: 14 });
  });

  it('conflicts: where SCIM and the HR feed disagree, and which value is in effect', async () => {
    const scim = {
      email: 'JORDAN.KIM@example.com',
      displayName: 'Jordan K.',
      department: 'Developer Relations',
      manager: { value: 'erik.lindqvist@example.com' },
    };
    await db()
      .update(people)
      .set({
        sourceRecords: sql`${people.sourceRecords} || jsonb_build_object('scim', ${JSON.stringify(scim)}::jsonb)`,
      })
      .where(eq(people.id, id('Jordan')));
    const list = await priya.json<OrgConflictPage>('/api/v1/org/conflicts');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toEqual({
      person: { id: id('Jordan'), name: 'Jordan Kim', email: 'jordan.kim@example.com', status: 'active' },
      managingSource: 'hr',
      fields: [
        {
          field: 'name',
          values: [
            { source: 'scim', value: 'Jordan K.' },
            { source: 'hr', value: 'Jordan Kim' },
          ],
          inEffect: 'Jordan Kim',
        },
        {
          field: 'department',
          values: [
            { source: 'scim', value: 'Developer Relations' },
            { source: 'hr', value: 'Builder Relations' },
          ],
          inEffect: 'Builder Relations',
        },
        {
          field: 'manager',
          values: [
            { source: 'scim', value: 'Erik Lindqvist (E1007)' },
            { source: 'hr', value: 'Maya Patel (E1002)' },
          ],
          inEffect: 'Maya Patel (E1002)',
        },
      ],
    });
    const detail = await priya.json<OrgPersonDetail>(`/api/v1/org/people/${id('Jordan')}`);
    expect(detail.conflicts).toEqual(list.items[0]?.fields);
    expect((await priya.json<OrgStatus>('/api/v1/org/status')).conflicts).toBe(1);
  });

  it('an HR file that would empty the org needs the number of leavers confirmed', async () => {
    const content = [
      'employee_number,email,name,manager,department,title,builder_relations',
      'E2002,lena.brooks@example.com,Lena Brooks,,Leadership,"VP, Developer Experience",no',
      'E1011,priya.raman@example.com,Priya Raman,E2002,Builder Relations,"Program Manager, Builder Insights",yes',
      'E4001,noah.adeyemi@example.com,Noah Adeyemi,E2002,Engineering,"Security Engineer, Internal Tools",no',
    ].join('\n');
    const created = await priya.post('/api/v1/org/imports', {
      fileName: 'partial.csv',
      format: 'csv',
      content,
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const preview = (await created.json()) as OrgImport;
    expect(preview.diff).toMatchObject({ leaversNeedConfirmation: true, counts: { leavers: 11 } });
    for (const body of [{}, { confirmLeavers: 10 }]) {
      const refused = await priya.post(`/api/v1/org/imports/${preview.id}/apply`, body);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { detail: string }).detail).toContain(
        'confirming the number of leavers (11)',
      );
    }
    expect((await priya.json<OrgImport>(`/api/v1/org/imports/${preview.id}`)).status).toBe('previewed');
    expect((await db().select().from(people).where(eq(people.status, 'deactivated'))).length).toBe(0);
    const applied = await priya.post(`/api/v1/org/imports/${preview.id}/apply`, { confirmLeavers: 11 });
    expect(applied.status, await applied.clone().text()).toBe(200);
    expect(((await applied.json()) as OrgImport).result).toMatchObject({ deactivated: 11 });
    expect((await maya.get('/api/v1/me')).status).toBe(401);
  });
});
