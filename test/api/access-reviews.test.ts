import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { parse } from 'csv-parse/sync';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AccessReviewCampaign,
  AccessReviewItem,
  AccessReviewItemPage,
  RemovalRequestPage,
} from '../../src/contract/api/access-reviews.ts';
import {
  accessExceptions,
  accessRemovalRequests,
  accessReviewCampaigns,
  accessReviewItems,
  auditEvents,
  people,
} from '../../src/server/db/schema.ts';
import { JOBS } from '../../src/server/jobs/catalog.ts';
import { verifyAuditChain } from '../../src/server/modules/audit/audit.service.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let offsetMs = 0; // the app's clock
const clock = () => new Date(Date.now() + offsetMs);
let priya: Session; // admin (MFA)
let noah: Session; // admin (MFA)
let maya: Session; // manager of Ben and Ari; reports to Priya
let ben: Session; // advocate, holds an exception
let ari: Session; // advocate
const ids: Record<string, string> = {};
let benException: string;

const db = () => stack.db.database.db;
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const DAY = 86_400_000;
const base = '/api/v1/access-reviews';

async function auditOf(action: string, targetId?: string) {
  const rows = await db()
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, action))
    .orderBy(auditEvents.seq);
  return targetId ? rows.filter((r) => r.targetId === targetId) : rows;
}

async function problemFields(response: Response) {
  const body = (await response.json()) as { errors?: { field: string }[] };
  return (body.errors ?? []).map((e) => e.field);
}

async function create(body: Record<string, unknown>) {
  return priya.post(base, body);
}

beforeAll(async () => {
  stack = await startStack({ now: clock });
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  noah = await stack.signIn('Noah', { auth: 'mfa' });
  [maya, ben, ari] = (await Promise.all(['Maya', 'Ben', 'Ari'].map((w) => stack.signIn(w)))) as [
    Session,
    Session,
    Session,
  ];
  await stack.signIn('Victor');
  for (const row of await db().select().from(people)) ids[row.email.split('.')[0] ?? ''] = row.id;
  // Org facts as an org source would set them: Ben and Ari report to Maya, Maya to Priya; all three in BR.
  await db()
    .update(people)
    .set({ managerId: ids.maya, builderRelations: true })
    .where(inArray(people.id, [ids.ben ?? '', ids.ari ?? '']));
  await db()
    .update(people)
    .set({ managerId: ids.priya, builderRelations: true, orgSource: 'hr' })
    .where(eq(people.id, ids.maya ?? ''));
  // A name a spreadsheet would run as a formula.
  await db()
    .update(people)
    .set({ displayName: '+Noah Adeyemi' })
    .where(eq(people.id, ids.noah ?? ''));
  const [exception] = await db()
    .insert(accessExceptions)
    .values({
      subjectId: ids.ben ?? '',
      role: 'manager',
      scopeKind: 'team',
      scopeTarget: null,
      justification: 'Covers for Maya during her leave',
      status: 'active',
      requestedBy: ids.maya ?? '',
      requestedAt: clock(),
      expiresAt: new Date(clock().getTime() + 30 * DAY),
      decidedBy: ids.priya ?? null,
      decidedAt: clock(),
    })
    .returning();
  benException = exception?.id ?? '';
});
afterAll(async () => {
  await stack?.close();
});

const dueIn = (ms: number) => new Date(clock().getTime() + ms).toISOString();

describe('starting a campaign', () => {
  it('refuses bad input naming the field, writes nothing, and is for admins only', async () => {
    const bad = await create({ name: '', kind: 'everyone', dueAt: 'tomorrow' });
    expect(bad.status).toBe(400);
    expect(await problemFields(bad)).toEqual(
      expect.arrayContaining(['body.name', 'body.kind', 'body.dueAt']),
    );

    const noPeople = await create({ name: 'Q3', kind: 'custom', dueAt: dueIn(7 * DAY) });
    expect(await problemFields(noPeople)).toEqual(['body.personIds']);
    const extraPeople = await create({
      name: 'Q3',
      kind: 'privileged',
      personIds: [ids.ben],
      dueAt: dueIn(7 * DAY),
    });
    expect(await problemFields(extraPeople)).toEqual(['body.personIds']);
    const repeated = await create({
      name: 'Q3',
      kind: 'custom',
      personIds: [ids.ben, ids.ben],
      dueAt: dueIn(DAY),
    });
    expect(await problemFields(repeated)).toEqual(['body.personIds']);
    const tooMany = await create({
      name: 'Q3',
      kind: 'custom',
      personIds: Array.from({ length: 1001 }, () => crypto.randomUUID()),
      dueAt: dueIn(DAY),
    });
    expect(await problemFields(tooMany)).toEqual(['body.personIds']);
    const long = await create({ name: 'x'.repeat(201), kind: 'privileged', dueAt: dueIn(DAY) });
    expect(await problemFields(long)).toEqual(['body.name']);

    const past = await create({ name: 'Q3', kind: 'privileged', dueAt: dueIn(-60_000) });
    expect(past.status).toBe(400);
    expect(await problemFields(past)).toEqual(['body.dueAt']);
    const far = await create({ name: 'Q3', kind: 'privileged', dueAt: dueIn(91 * DAY) });
    expect(await problemFields(far)).toEqual(['body.dueAt']);

    const unknown = await create({
      name: 'Q3',
      kind: 'custom',
      personIds: [crypto.randomUUID()],
      dueAt: dueIn(DAY),
    });
    expect(unknown.status).toBe(400);
    expect(await problemFields(unknown)).toEqual(['body.personIds']);

    // Somebody without any access: the population is empty.
    const [nobody] = await db()
      .insert(people)
      .values({
        email: 'no.access@example.com',
        displayName: 'No Access',
        status: 'active',
        groups: ['sales'],
      })
      .returning();
    const empty = await create({ name: 'Q3', kind: 'custom', personIds: [nobody?.id], dueAt: dueIn(DAY) });
    expect(empty.status).toBe(400);
    const problem = (await empty.json()) as { detail: string; errors: { field: string }[] };
    expect(problem.detail).toContain('None of the listed people is active with any access');
    expect(problem.errors[0]?.field).toBe('body.personIds');

    const notAdmin = await maya.post(base, { name: 'Mine', kind: 'privileged', dueAt: dueIn(DAY) });
    expect(notAdmin.status).toBe(403);
    expect(await db().select().from(accessReviewCampaigns)).toHaveLength(0);
    expect(await auditOf('access.review.created')).toHaveLength(0);
  });
});

let campaign: AccessReviewCampaign;
let items: (typeof accessReviewItems.$inferSelect)[];
const itemOf = (subject: string, match: (e: Record<string, unknown>) => boolean) => {
  const found = items.find((i) => i.subjectId === ids[subject] && match(i.entitlement));
  if (!found) throw new Error(`no item for ${subject}`);
  return found;
};
const rule = (id: string) => (e: Record<string, unknown>) => e.ruleId === id;

describe('a privileged campaign end to end', () => {
  it('has one item per person × entitlement × source, each reviewed by the manager or an admin, never the subject', async () => {
    const response = await create({
      name: 'Q3 privileged access',
      kind: 'privileged',
      dueAt: dueIn(14 * DAY),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    campaign = (await response.json()) as AccessReviewCampaign;
    expect(campaign).toMatchObject({
      status: 'open',
      kind: 'privileged',
      createdBy: { id: ids.priya, name: 'Priya Raman' },
      progress: { total: 10, kept: 0, revoked: 0, undecided: 10, reviewers: 3 },
    });
    items = await db().select().from(accessReviewItems).where(eq(accessReviewItems.campaignId, campaign.id));
    const summary = items
      .map((i) => {
        const e = i.entitlement as { ruleId: string | null; source: string };
        const who = Object.entries(ids).find(([, id]) => id === i.subjectId)?.[0];
        const reviewer = Object.entries(ids).find(([, id]) => id === i.reviewerId)?.[0];
        return `${who}:${e.ruleId ?? 'exception'}:${i.source}→${reviewer}`;
      })
      .sort();
    // Ari (advocate only) and Victor (viewer) are not privileged; Ben is, through his exception.
    expect(summary).toEqual([
      'ben:R3:idp_group→maya',
      'ben:R6:org→maya',
      'ben:exception:exception→maya',
      'maya:R2:idp_group→priya',
      'maya:R3:idp_group→priya',
      'maya:R6:org→priya',
      'maya:R7:org→priya',
      'noah:R1:idp_group→priya',
      'priya:R1:idp_group→noah',
      'priya:R3:idp_group→noah',
    ]);
    expect(items.every((i) => i.reviewerId !== i.subjectId)).toBe(true);
    expect(itemOf('ben', (e) => e.source === 'exception').entitlement).toMatchObject({
      exceptionId: benException,
      role: 'manager',
      scopeKind: 'team',
      reason: expect.stringContaining('Covers for Maya during her leave'),
    });
    expect(itemOf('maya', rule('R7')).entitlement).toMatchObject({
      role: 'manager',
      scopeKind: 'tree',
      reason: expect.stringContaining('2 direct reports in Builder Relations'),
    });
    const [event] = await auditOf('access.review.created', campaign.id);
    expect(event).toMatchObject({ actorId: ids.priya, details: { kind: 'privileged', items: 10 } });
  });

  it('gives each reviewer an inbox of their own open items, and hides everything else', async () => {
    const inboxOf = async (who: Session) => (await who.json<AccessReviewItemPage>(`${base}/inbox`)).items;
    const mayaInbox = await inboxOf(maya);
    expect(mayaInbox.map((i) => i.subject.name)).toEqual(['Ben Carter', 'Ben Carter', 'Ben Carter']);
    expect(mayaInbox[0]).toMatchObject({
      campaign: { id: campaign.id, name: 'Q3 privileged access', dueAt: campaign.dueAt },
      overdue: false,
      decision: null,
      lastRemindedAt: null,
    });
    expect(mayaInbox.map((i) => i.source).sort()).toEqual(['exception', 'idp_group', 'org']);
    expect(mayaInbox.every((i) => i.entitlement.reason.length > 0)).toBe(true);
    const priyaInbox = await inboxOf(priya);
    expect(priyaInbox.map((i) => i.subject.name)).toEqual([
      '+Noah Adeyemi',
      'Maya Patel',
      'Maya Patel',
      'Maya Patel',
      'Maya Patel',
    ]);
    expect((await inboxOf(noah)).map((i) => i.subject.name)).toEqual(['Priya Raman', 'Priya Raman']);
    expect(await inboxOf(ari)).toEqual([]);

    // Paging through the inbox with the cursor gives the same items in the same order.
    const first = await priya.json<AccessReviewItemPage>(`${base}/inbox?limit=2`);
    const second = await priya.json<AccessReviewItemPage>(
      `${base}/inbox?limit=10&cursor=${first.nextCursor}`,
    );
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(priyaInbox.map((i) => i.id));
    expect(second.nextCursor).toBeNull();
    const forged = await priya.get(`${base}/inbox?cursor=bm90LWEtY3Vyc29y`);
    expect(forged.status).toBe(400);
    expect(await problemFields(forged)).toEqual(['query.cursor']);

    // A reviewer sees the campaign with their own progress and only their items; others get 404.
    const mine = await maya.json<AccessReviewCampaign>(`${base}/${campaign.id}`);
    expect(mine.progress).toMatchObject({ total: 3, undecided: 3, reviewers: 1 });
    const mayaItems = await maya.json<AccessReviewItemPage>(
      `${base}/${campaign.id}/items?reviewerId=${ids.priya}`,
    );
    expect(mayaItems.items).toEqual([]);
    expect((await maya.json<AccessReviewItemPage>(`${base}/${campaign.id}/items`)).items).toHaveLength(3);
    expect((await ari.get(`${base}/${campaign.id}`)).status).toBe(404);
    expect((await ari.get(`${base}/${campaign.id}/items`)).status).toBe(404);
    expect((await maya.get(base)).status).toBe(403);

    const all = await priya.json<AccessReviewItemPage>(`${base}/${campaign.id}/items?limit=4`);
    expect(all.items.map((i) => i.subject.name)).toEqual([
      '+Noah Adeyemi',
      'Ben Carter',
      'Ben Carter',
      'Ben Carter',
    ]);
    const rest = await priya.json<AccessReviewItemPage>(
      `${base}/${campaign.id}/items?limit=10&cursor=${all.nextCursor}`,
    );
    expect(rest.items).toHaveLength(6);
    const byReviewer = await priya.json<AccessReviewItemPage>(
      `${base}/${campaign.id}/items?reviewerId=${ids.noah}`,
    );
    expect(byReviewer.items.map((i) => i.subject.name)).toEqual(['Priya Raman', 'Priya Raman']);
    const listed = await priya.json<{ items: AccessReviewCampaign[] }>(`${base}?status=open`);
    expect(listed.items.map((c) => c.id)).toEqual([campaign.id]);
  });

  it('lets only the reviewer (or an admin who is not the subject) decide, validating the comment', async () => {
    const benIdp = itemOf('ben', rule('R3'));
    const mayaOwn = itemOf('maya', rule('R2'));
    const priyaOwn = itemOf('priya', rule('R1'));
    expect((await ari.post(`${base}/items/${benIdp.id}/decision`, { decision: 'keep' })).status).toBe(404);
    expect((await maya.post(`${base}/items/${mayaOwn.id}/decision`, { decision: 'keep' })).status).toBe(404);
    expect(
      (await ari.post(`${base}/items/${crypto.randomUUID()}/decision`, { decision: 'keep' })).status,
    ).toBe(404);
    const own = await priya.post(`${base}/items/${priyaOwn.id}/decision`, { decision: 'keep' });
    expect(own.status).toBe(403);
    expect(((await own.json()) as { detail: string }).detail).toContain('Nobody reviews their own access');

    const noReason = await maya.post(`${base}/items/${benIdp.id}/decision`, { decision: 'revoke' });
    expect(noReason.status).toBe(400);
    expect(await problemFields(noReason)).toEqual(['body.comment']);
    const short = await maya.post(`${base}/items/${benIdp.id}/decision`, {
      decision: 'revoke',
      comment: ' no ',
    });
    expect(await problemFields(short)).toEqual(['body.comment']);
    const long = await maya.post(`${base}/items/${benIdp.id}/decision`, {
      decision: 'keep',
      comment: 'x'.repeat(1001),
    });
    expect(await problemFields(long)).toEqual(['body.comment']);
    const wrong = await maya.post(`${base}/items/${benIdp.id}/decision`, { decision: 'maybe' });
    expect(await problemFields(wrong)).toEqual(['body.decision']);
    const [row] = await db().select().from(accessReviewItems).where(eq(accessReviewItems.id, benIdp.id));
    expect(row?.decision).toBeNull();
    expect(await auditOf('access.review.decided')).toHaveLength(0);
  });

  it('revokes an exception at once: the subject loses it on their next request', async () => {
    const before = await ben.json<{ entitlements: { source: string }[]; role: string }>('/api/v1/me');
    expect(before.role).toBe('manager');
    expect(before.entitlements.map((e) => e.source)).toContain('exception');

    const item = itemOf('ben', (e) => e.source === 'exception');
    const response = await maya.post(`${base}/items/${item.id}/decision`, {
      decision: 'revoke',
      comment: 'Maya is back from leave',
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({
      decision: 'revoke',
      remediation: 'exception_revoked',
      decidedBy: { id: ids.maya, name: 'Maya Patel' },
      comment: 'Maya is back from leave',
    });
    const [exception] = await db()
      .select()
      .from(accessExceptions)
      .where(eq(accessExceptions.id, benException));
    expect(exception).toMatchObject({ status: 'revoked', revokedBy: ids.maya });
    expect(exception?.revokeReason).toContain('Maya is back from leave');
    const [revoked] = await auditOf('access.exception.revoked', benException);
    expect(revoked?.details).toMatchObject({ subjectId: ids.ben, via: 'access_review' });
    const [decided] = await auditOf('access.review.decided', item.id);
    expect(decided?.details).toMatchObject({
      campaignId: campaign.id,
      subjectId: ids.ben,
      decision: 'revoke',
      remediation: 'exception_revoked',
    });

    const after = await ben.json<{ entitlements: { source: string }[]; role: string }>('/api/v1/me');
    expect(after.entitlements.map((e) => e.source)).not.toContain('exception');
    expect(after.role).toBe('advocate');

    const again = await maya.post(`${base}/items/${item.id}/decision`, { decision: 'keep' });
    expect(again.status).toBe(409);
  });

  it('turns a revoked IdP-group entitlement into a removal request, and keeps the rest', async () => {
    const response = await priya.post(`${base}/items/${itemOf('maya', rule('R2')).id}/decision`, {
      decision: 'revoke',
      comment: 'Maya no longer manages through the bi-managers group',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ remediation: 'removal_requested' });
    const requests = await db().select().from(accessRemovalRequests);
    expect(requests).toMatchObject([
      {
        subjectId: ids.maya,
        source: 'idp_group',
        status: 'open',
        detail: 'Remove Maya Patel from IdP group bi-managers (rule R2)',
      },
    ]);
    const org = await priya.post(`${base}/items/${itemOf('maya', rule('R7')).id}/decision`, {
      decision: 'keep',
      comment: '=HYPERLINK("https://evil.example","click")',
    });
    expect(org.status).toBe(200);
    const keeps: [Session, string, string][] = [
      [maya, 'ben', 'R3'],
      [maya, 'ben', 'R6'],
      [priya, 'maya', 'R3'],
      [noah, 'maya', 'R6'], // an admin who is not the reviewer may decide
      [priya, 'noah', 'R1'],
      [noah, 'priya', 'R1'],
    ];
    for (const [who, subject, ruleId] of keeps) {
      const kept = await who.post(`${base}/items/${itemOf(subject, rule(ruleId)).id}/decision`, {
        decision: 'keep',
      });
      expect(kept.status, `${subject} ${ruleId}`).toBe(200);
      expect(((await kept.json()) as AccessReviewItem).remediation).toBe('none');
    }
    const [byNoah] = await db()
      .select()
      .from(accessReviewItems)
      .where(eq(accessReviewItems.id, itemOf('maya', rule('R6')).id));
    expect(byNoah).toMatchObject({ decidedBy: ids.noah, reviewerId: ids.priya, decision: 'keep' });
    expect(await auditOf('access.review.decided')).toHaveLength(9);
  });

  it('closes only when decided or forced with a note, and seals a report whose hashes are in the audit chain', async () => {
    expect((await priya.get(`${base}/${campaign.id}/report.json`)).status).toBe(409);
    const early = await priya.post(`${base}/${campaign.id}/close`, {});
    expect(early.status).toBe(409);
    expect(((await early.json()) as { detail: string }).detail).toContain('1 item is still undecided');
    const noNote = await priya.post(`${base}/${campaign.id}/close`, { force: true });
    expect(noNote.status).toBe(400);
    expect(await problemFields(noNote)).toEqual(['body.note']);
    expect(
      (await maya.post(`${base}/${campaign.id}/close`, { force: true, note: 'not an admin' })).status,
    ).toBe(403);

    const closed = await priya.post(`${base}/${campaign.id}/close`, {
      force: true,
      note: 'Priya’s builder-relations group is reviewed by the security team',
    });
    expect(closed.status, await closed.clone().text()).toBe(200);
    const body = (await closed.json()) as AccessReviewCampaign;
    expect(body).toMatchObject({
      status: 'closed',
      closedBy: { id: ids.priya },
      progress: { total: 10, kept: 7, revoked: 2, undecided: 1 },
    });
    const [event] = await auditOf('access.review.closed', campaign.id);
    expect(event?.details).toMatchObject({
      reportSha256: body.reportSha256,
      kept: 7,
      revoked: 2,
      undecided: 1,
      note: expect.stringContaining('security team'),
    });
    const details = event?.details as { reportSha256: string; csvSha256: string };

    const json = await priya.get(`${base}/${campaign.id}/report.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toContain('application/json');
    const jsonBytes = Buffer.from(await json.arrayBuffer());
    expect(sha256(jsonBytes)).toBe(details.reportSha256);
    expect(json.headers.get('x-content-sha256')).toBe(details.reportSha256);
    const report = JSON.parse(jsonBytes.toString('utf8'));
    expect(canonicalize(report)).toBe(jsonBytes.toString('utf8'));
    expect(report.summary).toEqual({ items: 10, kept: 7, revoked: 2, undecided: 1 });
    expect(report.items.map((i: { subject: { name: string } }) => i.subject.name)).toEqual([
      '+Noah Adeyemi',
      'Ben Carter',
      'Ben Carter',
      'Ben Carter',
      'Maya Patel',
      'Maya Patel',
      'Maya Patel',
      'Maya Patel',
      'Priya Raman',
      'Priya Raman',
    ]);
    expect(report.items.find((i: { decision: string }) => i.decision === 'undecided')).toMatchObject({
      subject: { name: 'Priya Raman' },
      entitlement: { ruleId: 'R3' },
      decidedAt: null,
      remediation: null,
    });

    const csv = await priya.get(`${base}/${campaign.id}/report.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const csvBytes = Buffer.from(await csv.arrayBuffer());
    expect(sha256(csvBytes)).toBe(details.csvSha256);
    expect(csv.headers.get('x-content-sha256')).toBe(details.csvSha256);
    const records = parse(csvBytes.toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(10);
    expect(records[0]?.subject_name).toBe("'+Noah Adeyemi");
    expect(records.find((r) => r.rule_id === 'R7')?.comment).toBe(
      '\'=HYPERLINK("https://evil.example","click")',
    );
    for (const record of records)
      for (const cell of Object.values(record)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    // Renaming someone after closing does not change the report: the names are frozen in the items.
    await db()
      .update(people)
      .set({ displayName: 'Maya Patel-Okafor' })
      .where(eq(people.id, ids.maya ?? ''));
    const again = Buffer.from(await (await priya.get(`${base}/${campaign.id}/report.json`)).arrayBuffer());
    expect(again.equals(jsonBytes)).toBe(true);
    await db()
      .update(people)
      .set({ displayName: 'Maya Patel' })
      .where(eq(people.id, ids.maya ?? ''));

    expect((await maya.get(`${base}/${campaign.id}/report.csv`)).status).toBe(403);
    const late = await noah.post(`${base}/items/${itemOf('priya', rule('R3')).id}/decision`, {
      decision: 'keep',
    });
    expect(late.status).toBe(409);
    expect(
      (await priya.post(`${base}/${campaign.id}/close`, { force: true, note: 'twice over' })).status,
    ).toBe(409);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('lists removal requests for admins, who mark them done once carried out', async () => {
    expect((await maya.get(`${base}/removal-requests`)).status).toBe(403);
    const open = await priya.json<RemovalRequestPage>(`${base}/removal-requests?status=open`);
    expect(open.items).toMatchObject([
      {
        subject: { id: ids.maya, name: 'Maya Patel' },
        campaign: { id: campaign.id, name: 'Q3 privileged access' },
        source: 'idp_group',
        status: 'open',
      },
    ]);
    const id = open.items[0]?.id ?? '';
    const long = await priya.post(`${base}/removal-requests/${id}/resolve`, { note: 'x'.repeat(1001) });
    expect(await problemFields(long)).toEqual(['body.note']);
    const done = await priya.post(`${base}/removal-requests/${id}/resolve`, { note: 'Okta change CHG-1234' });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ status: 'done', resolvedBy: { id: ids.priya } });
    const [event] = await auditOf('access.removal.resolved', id);
    expect(event?.details).toEqual({
      subjectId: ids.maya,
      source: 'idp_group',
      note: 'Okta change CHG-1234',
    });
    expect((await priya.post(`${base}/removal-requests/${id}/resolve`, {})).status).toBe(409);
    expect((await priya.json<RemovalRequestPage>(`${base}/removal-requests`)).items).toEqual([]);
    expect((await priya.json<RemovalRequestPage>(`${base}/removal-requests?status=done`)).items).toHaveLength(
      1,
    );
  });
});

describe('reminders', () => {
  const remind = (at: Date) => {
    const job = JOBS.find((j) => j.name === 'access-review-reminders');
    if (!job) throw new Error('no access-review-reminders job');
    return job.run(db(), at, { oidc: null, config: null });
  };

  it('flag undecided items of campaigns due within three days or overdue, at most once a day', async () => {
    const soon = await create({
      name: 'Ari spot check',
      kind: 'custom',
      personIds: [ids.ari],
      dueAt: dueIn(2 * DAY),
    });
    expect(soon.status).toBe(201);
    const soonId = ((await soon.json()) as AccessReviewCampaign).id;
    const later = await create({
      name: 'Later',
      kind: 'custom',
      personIds: [ids.ari],
      dueAt: dueIn(10 * DAY),
    });
    const laterId = ((await later.json()) as AccessReviewCampaign).id;
    const soonItems = await db()
      .select()
      .from(accessReviewItems)
      .where(eq(accessReviewItems.campaignId, soonId));
    expect(soonItems.length).toBeGreaterThan(0);
    expect(soonItems.every((i) => i.reviewerId === ids.maya)).toBe(true);

    const t0 = clock();
    expect(await remind(t0)).toEqual({ campaigns: 1, reviewers: 1, items: soonItems.length });
    const [event] = await auditOf('access.review.reminded', soonId);
    expect(event?.details).toEqual({ reviewers: 1, items: soonItems.length });
    expect(await remind(new Date(clock().getTime() + 60 * 60_000))).toEqual({
      campaigns: 0,
      reviewers: 0,
      items: 0,
    });
    expect(await auditOf('access.review.reminded')).toHaveLength(1);
    const inbox = await maya.json<AccessReviewItemPage>(`${base}/inbox`);
    expect(inbox.items.filter((i) => i.campaign.id === soonId).every((i) => i.lastRemindedAt !== null)).toBe(
      true,
    );
    expect(inbox.items.filter((i) => i.campaign.id === laterId).every((i) => i.lastRemindedAt === null)).toBe(
      true,
    );

    // A decided item is never reminded; a day later the rest are reminded again.
    const first = soonItems[0];
    if (!first) throw new Error('no item');
    expect((await maya.post(`${base}/items/${first.id}/decision`, { decision: 'keep' })).status).toBe(200);
    const dayLater = await remind(new Date(clock().getTime() + DAY + 60_000));
    expect(dayLater).toEqual({ campaigns: 1, reviewers: 1, items: soonItems.length - 1 });
    // Eight days on, the later campaign is within three days of its due date too.
    expect(await remind(new Date(clock().getTime() + 8 * DAY))).toMatchObject({ campaigns: 2 });
    const reminded = await db()
      .select()
      .from(accessReviewItems)
      .where(and(eq(accessReviewItems.campaignId, soonId), eq(accessReviewItems.id, first.id)));
    expect(reminded[0]?.lastRemindedAt?.getTime()).toBe(t0.getTime());
  });

  it('shows overdue items in the inbox once the due date passes', async () => {
    const response = await create({
      name: 'Due now',
      kind: 'custom',
      personIds: [ids.ben],
      dueAt: dueIn(2 * 60_000),
    });
    const id = ((await response.json()) as AccessReviewCampaign).id;
    const ofCampaign = async () =>
      (await maya.json<AccessReviewItemPage>(`${base}/inbox?limit=100`)).items.filter(
        (i) => i.campaign.id === id,
      );
    expect((await ofCampaign()).every((i) => !i.overdue)).toBe(true);
    offsetMs = 5 * 60_000;
    try {
      const overdue = await ofCampaign();
      expect(overdue.length).toBeGreaterThan(0);
      expect(overdue.every((i) => i.overdue)).toBe(true);
      expect((await priya.json<AccessReviewCampaign>(`${base}/${id}`)).overdue).toBe(true);
    } finally {
      offsetMs = 0;
    }
  });
});

describe('contract', () => {
  it('documents every access-review route in the OpenAPI document, the reports as text', async () => {
    const doc = (await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown; responses?: Record<string, unknown> }>>;
    };
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith(base));
    expect(paths.sort()).toEqual([
      base,
      `${base}/inbox`,
      `${base}/items/{id}/decision`,
      `${base}/removal-requests`,
      `${base}/removal-requests/{id}/resolve`,
      `${base}/{id}`,
      `${base}/{id}/close`,
      `${base}/{id}/items`,
      `${base}/{id}/report.csv`,
      `${base}/{id}/report.json`,
    ]);
    const csv = doc.paths[`${base}/{id}/report.csv`]?.get;
    expect(csv?.security).toEqual([{ session: [] }]);
    expect(JSON.stringify(csv?.responses?.['200'])).toContain('"type":"string"');
  });
});
