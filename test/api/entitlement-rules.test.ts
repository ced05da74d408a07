import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  RulePreview,
  RuleSetOverview,
  RuleSetProposed,
  RuleSetVersion,
} from '../../src/contract/api/access.ts';
import type { EntitlementRule, RuleSetSpec } from '../../src/contract/api/entitlements.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { auditEvents, entitlementRuleSets, people } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let maya: Session; // manager AMER (bi-managers → manager, team)
let ari: Session; // advocate AMER
let priya: Session; // admin, MFA
let priyaPwd: Session; // admin, signed in without MFA
let noah: Session; // admin, MFA
let original: RuleSetSpec;

const RULES = '/api/v1/entitlements/rules';
const db = () => stack.db.database.db;

beforeAll(async () => {
  stack = await startStack();
  [maya, ari] = (await Promise.all(['Maya', 'Ari', 'Victor'].map((who) => stack.signIn(who)))) as [
    Session,
    Session,
  ];
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  priyaPwd = await stack.signIn('Priya', { auth: 'pwd' });
  noah = await stack.signIn('Noah', { auth: 'mfa' });
  original = (await priya.json<RuleSetOverview>(RULES)).active.spec;
});
afterAll(async () => {
  await stack?.close();
});

/** bi-managers members manage their reporting tree instead of their team. */
function managersManageTrees(spec: RuleSetSpec): RuleSetSpec {
  return {
    ...spec,
    rules: spec.rules.map((r) =>
      r.when.groupsAny?.includes('bi-managers') ? { ...r, grant: { ...r.grant, scope: 'tree' as const } } : r,
    ),
  };
}

function withRule(spec: RuleSetSpec, rule: Omit<EntitlementRule, 'id'>): RuleSetSpec {
  const next = Math.max(...spec.rules.map((r) => Number(r.id.slice(1)))) + 1;
  return { ...spec, rules: [...spec.rules, { id: `R${next}`, ...rule }] };
}

async function personId(email: string) {
  const [row] = await db().select({ id: people.id }).from(people).where(eq(people.email, email));
  if (!row) throw new Error(`no person ${email}`);
  return row.id;
}

async function auditOf(version: number) {
  return db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, 'entitlement_rules'), eq(auditEvents.targetId, String(version))))
    .orderBy(auditEvents.seq);
}

async function propose(who: Session, spec: RuleSetSpec, reason = 'Managers read their reporting tree') {
  return who.post(RULES, { spec, reason });
}

async function versionCount() {
  return (await db().select().from(entitlementRuleSets)).length;
}

describe('reading the rules', () => {
  it('shows admins the active version with its provenance; everyone else is refused', async () => {
    const overview = await priya.json<RuleSetOverview>(RULES);
    expect(overview).toMatchObject({
      approvalPolicy: 'second_admin',
      active: {
        version: 1,
        status: 'active',
        createdBy: null,
        reason: 'Initial configuration',
        proposal: null,
      },
      pending: null,
    });
    expect(overview.versions.map((v) => v.version)).toEqual([1]);
    expect(overview.active.spec.rules.some((r) => r.grant.role === 'admin')).toBe(true);

    for (const who of [maya, ari]) {
      expect((await who.get(RULES)).status).toBe(403);
      expect((await who.post(`${RULES}/preview`, { spec: original })).status).toBe(403);
    }
  });
});

describe('previewing a change', () => {
  it('lists who gains and who loses what, with totals, and stores nothing', async () => {
    // Org facts as the HR feed would set them: Victor is in Product Management; Omar is provisioned, never signed in.
    await db()
      .update(people)
      .set({ department: 'Product Management' })
      .where(eq(people.email, 'victor.chen@example.com'));
    await db().insert(people).values({
      email: 'omar.haddad@example.com',
      displayName: 'Omar Haddad',
      status: 'provisional',
      department: 'Product Management',
    });
    const spec = withRule(managersManageTrees(original), {
      description: 'Product Management reads the whole organization',
      when: { departments: ['Product Management'] },
      grant: { role: 'viewer', scope: 'all' },
    });
    const response = await priya.post(`${RULES}/preview`, { spec });
    expect(response.status, await response.clone().text()).toBe(200);
    const preview = (await response.json()) as RulePreview;

    const managersRule = original.rules.find((r) => r.when.groupsAny?.includes('bi-managers'))?.id;
    const newRule = spec.rules.at(-1)?.id;
    expect(preview.baseVersion).toBe(1);
    expect(preview.changedRules).toEqual([managersRule, newRule]);
    expect(preview.blockers).toEqual([]);
    expect(preview.truncated).toBe(false);
    expect(preview.totals).toMatchObject({
      changed: 3,
      gains: 3,
      losses: 1,
      accessGranted: 1,
      accessRemoved: 0,
      roleRaised: 0,
      roleLowered: 0,
      scopeChanged: 1,
    });
    expect(preview.totals.evaluated).toBeGreaterThanOrEqual(6);

    const byName = new Map(preview.changes.map((c) => [c.person.name, c]));
    expect([...byName.keys()].sort()).toEqual(['Maya Patel', 'Omar Haddad', 'Victor Chen']);
    expect(byName.get('Maya Patel')).toMatchObject({
      before: { role: 'manager', scopeLabel: 'Your own insights, team amer' },
      after: { role: 'manager', scopeLabel: 'Your own insights, team amer; reporting tree of Maya Patel' },
      gained: [`Manager (reporting tree) because rule ${managersRule} matched: in group bi-managers`],
      lost: [`Manager (team) because rule ${managersRule} matched: in group bi-managers`],
    });
    expect(byName.get('Omar Haddad')).toMatchObject({
      before: { role: null, scopeLabel: 'No access' },
      after: { role: 'viewer', scopeLabel: 'Whole organization' },
      lost: [],
    });
    expect(byName.get('Victor Chen')?.gained).toEqual([
      `Viewer (whole organization) because rule ${newRule} matched: department Product Management`,
    ]);
    expect(byName.get('Victor Chen')?.before).toEqual(byName.get('Victor Chen')?.after);

    expect(await versionCount()).toBe(1);
    expect(await auditOf(2)).toEqual([]);
  });

  it('names what would refuse a proposal: no admin rule, or the admin locking themselves out', async () => {
    const noAdmin = { ...original, rules: original.rules.filter((r) => r.grant.role !== 'admin') };
    const preview = (await (await priya.post(`${RULES}/preview`, { spec: noAdmin })).json()) as RulePreview;
    expect(preview.blockers).toEqual([
      'No rule grants admin.',
      'You would lose your own admin access under these rules (self-lockout).',
      'No one would be an admin through a rule.',
    ]);
    // Priya keeps advocate through builder-relations; Noah has nothing else.
    expect(preview.totals).toMatchObject({ roleLowered: 1, accessRemoved: 1 });
    const noah = preview.changes.find((c) => c.person.name === 'Noah Adeyemi');
    expect(noah).toMatchObject({ before: { role: 'admin' }, after: { role: null, scopeLabel: 'No access' } });
  });
});

describe('proposing a change', () => {
  it('needs an admin with a fresh MFA sign-in', async () => {
    const spec = managersManageTrees(original);
    expect((await propose(maya, spec)).status).toBe(403);
    const stale = await propose(priyaPwd, spec);
    expect(stale.status).toBe(403);
    expect(await stale.json()).toMatchObject({ title: 'Step-up required' });
    expect(await versionCount()).toBe(1);
  });

  it('names the field when the rule set is not valid, and stores nothing', async () => {
    const [first, second] = original.rules as [EntitlementRule, EntitlementRule];
    const cases: [unknown, string][] = [
      [
        { spec: { ...original, rules: [first, { ...second, id: first.id }] }, reason: 'dup ids' },
        'body.spec.rules',
      ],
      [
        { spec: { ...original, rules: [{ ...first, when: {} }] }, reason: 'no conditions' },
        'body.spec.rules.0.when',
      ],
      [
        { spec: { ...original, rules: [{ ...first, id: 'rule-1' }] }, reason: 'bad id' },
        'body.spec.rules.0.id',
      ],
      [{ spec: original, reason: 'x' }, 'body.reason'],
      [{ spec: { ...original, rules: [] }, reason: 'no rules at all' }, 'body.spec.rules'],
      [
        {
          spec: { ...original, rules: original.rules.filter((r) => r.grant.role !== 'admin') },
          reason: 'no admin',
        },
        'body.spec.rules',
      ],
    ];
    for (const [body, field] of cases) {
      const response = await priya.post(RULES, body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      const problem = (await response.json()) as { errors: { field: string; message: string }[] };
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
    expect(await versionCount()).toBe(1);
  });

  it('refuses (409) a change that would take away the acting admin’s own admin access', async () => {
    await db()
      .update(people)
      .set({ department: 'Security' })
      .where(eq(people.email, 'noah.adeyemi@example.com'));
    const securityOnly = {
      ...original,
      rules: original.rules.map((r) =>
        r.grant.role === 'admin' ? { ...r, when: { ...r.when, departments: ['Security'] } } : r,
      ),
    };
    const response = await propose(priya, securityOnly, 'Admins must be in Security');
    expect(response.status).toBe(409);
    expect(((await response.json()) as { detail: string }).detail).toContain('self-lockout');
    expect(await versionCount()).toBe(1);
    expect((await propose(priya, original, 'No change at all')).status).toBe(409);
  });
});

describe('approval by a second admin', () => {
  it('keeps the change pending until a different admin approves it; Maya’s next request reflects it', async () => {
    const before = await maya.json<Me>('/api/v1/me');
    expect(before.scope).toEqual({ kind: 'limited', teams: ['amer'], trees: [], units: [] });
    expect(before.ruleSetVersion).toBe(1);

    const response = await propose(priya, managersManageTrees(original));
    expect(response.status, await response.clone().text()).toBe(201);
    const proposed = (await response.json()) as RuleSetProposed;
    expect(proposed.version).toMatchObject({
      version: 2,
      status: 'pending',
      createdBy: { name: 'Priya Raman' },
      approvedBy: null,
      activatedAt: null,
      proposal: { gains: proposed.preview.totals.gains, losses: 1, needsApproval: true },
    });
    expect(proposed.preview.changes.map((c) => c.person.name)).toContain('Maya Patel');

    // Pending changes nothing.
    expect((await maya.json<Me>('/api/v1/me')).scope).toEqual(before.scope);
    const overview = await priya.json<RuleSetOverview>(RULES);
    expect(overview.active.version).toBe(1);
    expect(overview.pending?.version).toBe(2);

    const own = await priya.post(`${RULES}/versions/2/approve`, {});
    expect(own.status).toBe(409);
    expect(((await own.json()) as { detail: string }).detail).toContain('other than the one who proposed');
    expect((await maya.post(`${RULES}/versions/2/approve`, {})).status).toBe(403);
    expect((await noah.post(`${RULES}/versions/99/approve`, {})).status).toBe(404);

    const approved = await noah.post(`${RULES}/versions/2/approve`, {});
    expect(approved.status, await approved.clone().text()).toBe(200);
    expect(await approved.json()).toMatchObject({
      version: 2,
      status: 'active',
      approvedBy: { id: await personId('noah.adeyemi@example.com'), name: 'Noah Adeyemi' },
    });
    expect((await noah.post(`${RULES}/versions/2/approve`, {})).status).toBe(409);

    const after = await maya.json<Me>('/api/v1/me');
    const mayaId = await personId('maya.patel@example.com');
    expect(after.ruleSetVersion).toBe(2);
    expect(after.scope).toEqual({ kind: 'limited', teams: ['amer'], trees: [mayaId], units: [] });
    expect(after.entitlements.map((e) => e.reason).join('\n')).toContain(
      'Manager (reporting tree) because rule',
    );

    const events = await auditOf(2);
    expect(events.map((e) => e.action)).toEqual([
      'entitlement_rules.proposed',
      'entitlement_rules.activated',
    ]);
    expect(events[0]?.actorId).toBe(await personId('priya.raman@example.com'));
    expect(events[0]?.details).toMatchObject({ version: 2, losses: 1, needsApproval: true });
    expect(events[1]?.details).toEqual({
      version: 2,
      previousVersion: 1,
      reason: 'Managers read their reporting tree',
      approvedBy: await personId('noah.adeyemi@example.com'),
    });
    const [v1] = await db().select().from(entitlementRuleSets).where(eq(entitlementRuleSets.version, 1));
    expect(v1?.status).toBe('superseded');
  });

  it('lets a newer proposal withdraw the pending one, and any admin reject with a note', async () => {
    const current = (await priya.json<RuleSetOverview>(RULES)).active.spec;
    const first = await propose(
      priya,
      withRule(current, {
        description: 'Security reads the whole organization',
        when: { departments: ['Security'] },
        grant: { role: 'viewer', scope: 'all' },
      }),
      'Security needs to read everything',
    );
    expect(first.status).toBe(201);
    const second = await propose(noah, managersManageTrees(original), 'Start over from a different base');
    // Identical to the active version (2): nothing to propose.
    expect(second.status).toBe(409);
    const third = await propose(noah, original, 'Back to team scope for managers');
    expect(third.status).toBe(201);
    const v4 = ((await third.json()) as RuleSetProposed).version.version;
    expect(v4).toBe(4);

    const withdrawn = await noah.post(`${RULES}/versions/3/approve`, {});
    expect(withdrawn.status).toBe(409);
    expect(((await withdrawn.json()) as { detail: string }).detail).toContain(
      'superseded by a newer proposal',
    );
    const overview = await noah.json<RuleSetOverview>(RULES);
    const v3 = overview.versions.find((v) => v.version === 3);
    expect(v3).toMatchObject({
      status: 'rejected',
      rejection: { by: { name: 'Noah Adeyemi' }, note: 'Withdrawn: superseded by version 4' },
    });
    expect(overview.pending?.version).toBe(4);

    const noNote = await priya.post(`${RULES}/versions/4/reject`, {});
    expect(noNote.status).toBe(400);
    expect(JSON.stringify(await noNote.json())).toContain('body.note');
    const rejected = await priya.post(`${RULES}/versions/4/reject`, { note: 'Keep trees for now' });
    expect(rejected.status).toBe(200);
    expect((await rejected.json()) as RuleSetVersion).toMatchObject({
      status: 'rejected',
      rejection: { by: { name: 'Priya Raman' }, note: 'Keep trees for now' },
    });
    expect((await noah.post(`${RULES}/versions/4/approve`, {})).status).toBe(409);
    expect((await auditOf(4)).map((e) => e.action)).toEqual([
      'entitlement_rules.proposed',
      'entitlement_rules.rejected',
    ]);
    expect((await auditOf(3)).map((e) => e.action)).toEqual([
      'entitlement_rules.proposed',
      'entitlement_rules.rejected',
    ]);
    const after = await priya.json<RuleSetOverview>(RULES);
    expect(after.active.version).toBe(2);
    expect(after.pending).toBeNull();
    expect((await maya.json<Me>('/api/v1/me')).ruleSetVersion).toBe(2);
  });

  it('restores the original rules (Noah proposes, Priya approves) and Maya’s scope follows', async () => {
    const response = await propose(noah, original, 'Restore team scope for managers');
    expect(response.status).toBe(201);
    const { version } = ((await response.json()) as RuleSetProposed).version;
    expect((await priya.post(`${RULES}/versions/${version}/approve`, {})).status).toBe(200);
    const me = await maya.json<Me>('/api/v1/me');
    expect(me.ruleSetVersion).toBe(version);
    expect(me.scope).toEqual({ kind: 'limited', teams: ['amer'], trees: [], units: [] });
  });
});

describe('ENTITLEMENT_RULES_APPROVAL=single_admin', () => {
  let single: TestStack;
  afterAll(async () => {
    await single?.close();
  });

  it('activates a proposal at once, recorded with no approver', async () => {
    single = await startStack({ env: { ENTITLEMENT_RULES_APPROVAL: 'single_admin' } });
    const admin = await single.signIn('Priya', { auth: 'mfa' });
    const manager = await single.signIn('Maya');
    const { spec } = (await admin.json<RuleSetOverview>(RULES)).active;
    const response = await propose(admin, managersManageTrees(spec));
    expect(response.status).toBe(201);
    expect(((await response.json()) as RuleSetProposed).version).toMatchObject({
      version: 2,
      status: 'active',
      approvedBy: null,
      proposal: { needsApproval: false },
    });
    const me = await manager.json<Me>('/api/v1/me');
    expect(me.ruleSetVersion).toBe(2);
    expect(me.scope.kind === 'limited' && me.scope.trees).toHaveLength(1);
    const events = await single.db.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetType, 'entitlement_rules'), eq(auditEvents.targetId, '2')))
      .orderBy(auditEvents.seq);
    expect(events.map((e) => e.action)).toEqual([
      'entitlement_rules.proposed',
      'entitlement_rules.activated',
    ]);
    expect(events[0]?.details).toMatchObject({ needsApproval: false });
    expect(events[1]?.details).toMatchObject({ previousVersion: 1, approvedBy: null });
  });
});
