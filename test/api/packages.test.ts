import { createHash } from 'node:crypto';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import type { PackageList, PackageSummary, PackageVerification } from '../../src/contract/api/packages.ts';
import {
  accessExceptions,
  accessReviewCampaigns,
  audiencePackages,
  auditEvents,
  auditVerifications,
  decisions,
  people,
  readinessRecords,
} from '../../src/server/db/schema.ts';
import { audit } from '../../src/server/modules/audit/audit.service.ts';
import { seedDemoDataIfEmpty } from '../../src/server/modules/demo/demo.seed.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { pdfPlainText } from '../helpers/pdf-text.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let priya: Session; // admin, MFA
let maya: Session; // manager
let victor: Session; // viewer
let priyaId: string;
const generated: Record<string, PackageSummary> = {};

const db = () => stack.db.database.db;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  stack = await startStack();
  const seeded = await seedDemoDataIfEmpty(db(), {
    issuer: stack.idp.issuer,
    access: stack.config.access,
    now: new Date(),
  });
  expect(seeded).not.toBeNull();
  priya = await stack.signIn('Priya', { auth: 'mfa' });
  maya = await stack.signIn('Maya');
  victor = await stack.signIn('Victor');
  priyaId = (await priya.json<Me>('/api/v1/me')).person.id;
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

async function generate(audience: string): Promise<PackageSummary> {
  const response = await priya.post('/api/v1/packages', { audience });
  if (response.status !== 201)
    throw new Error(`POST ${audience} → ${response.status}: ${await response.text()}`);
  const summary = (await response.json()) as PackageSummary;
  generated[audience] = summary;
  return summary;
}

async function download(id: string, format: string) {
  const response = await priya.get(`/api/v1/packages/${id}/download?format=${format}`);
  expect(response.status).toBe(200);
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function markdownOf(summary: PackageSummary): Promise<string> {
  return (await download(summary.id, 'markdown')).bytes.toString('utf8');
}

describe('audience packages: generation for the seeded demo organisation', () => {
  it('Leadership: status by area, the verdict with its reasons, adoption and capture trends', async () => {
    const summary = await generate('leadership');
    expect(summary.audience).toBe('leadership');
    expect(summary.title).toBe(`Leadership package — ${summary.generatedAt}`);
    expect(summary.generatedBy).toEqual({ id: priyaId, name: 'Priya Raman' });
    expect(summary.snapshotId).not.toBeNull();
    expect(['go', 'go_with_known_issues', 'no_go']).toContain(summary.verdict);
    for (const h of Object.values(summary.hashes)) expect(h).toMatch(/^[0-9a-f]{64}$/);

    const md = await markdownOf(summary);
    for (const heading of [
      '## Status by area',
      '## Readiness verdict',
      '## Adoption (last 8 ISO weeks)',
      '## Capture trends (last 8 ISO weeks)',
    ])
      expect(md).toContain(heading);
    const label = { go: 'Go', go_with_known_issues: 'Go with known issues', no_go: 'No-go' }[
      summary.verdict ?? 'no_go'
    ];
    expect(md).toContain(`**Verdict:** ${label}`);
    // The snapshot the package took is the one it states.
    const snapshot = await priya.json<{ verdict: string; id: string }>(
      `/api/v1/readiness/snapshots/${summary.snapshotId}`,
    );
    expect(snapshot.verdict).toBe(summary.verdict);
    // Real insight counts: the demo set's insights are in the last 60 days, so the 8-week total is not zero.
    const total = /\*\*Insights captured over the range:\*\* (\d+)/.exec(md)?.[1];
    expect(Number(total)).toBeGreaterThan(0);
    // The four workstreams by name with their owners.
    const streams = await db().execute<{ name: string; owner: string }>(
      sql`select name, owner from workstreams`,
    );
    const rows = (streams as unknown as { rows?: { name: string; owner: string }[] }).rows ?? [];
    for (const w of rows) expect(md).toContain(`| ${w.name.replace(/([\\`*_{}[\]<>|#])/g, '\\$1')} |`);

    const pdf = (await download(summary.id, 'pdf')).bytes;
    const text = pdfPlainText(pdf);
    expect(text).toContain(summary.title);
    expect(text).toContain('Status by area');
    expect(text).toContain(`Package ${summary.id}`);
  });

  it('Product & Program: the decision register (DEC-1…), phases, risks, adoption and capture coverage', async () => {
    const [{ n } = { n: 0 }] = await db().select({ n: count() }).from(decisions);
    if (Number(n) === 0)
      await db().insert(decisions).values({
        number: 1,
        workstream: 'Identity',
        title: 'Okta SSO path',
        owner: 'Identity and Security',
        status: 'needs_decision',
      });
    const register = await db().select().from(decisions).orderBy(asc(decisions.number));
    const summary = await generate('product');
    const md = await markdownOf(summary);
    for (const heading of ['## Decisions', '## Phases', '## Risks', '## Capture coverage (last 90 days)'])
      expect(md).toContain(heading);
    for (const d of register) expect(md).toContain(`| DEC-${d.number} |`);
    // Capture coverage as an independent query counts it: events of the last 90 days with an insight.
    const result = await db().execute(
      sql`select count(*)::int as total, count(*) filter (where exists (select 1 from insights i where i.event_id = e.id and i.merged_into_id is null))::int as covered
          from events e where e.starts_on between ((now() at time zone 'utc')::date - 89) and (now() at time zone 'utc')::date`,
    );
    const [cov] = (result as unknown as { rows: { total: number; covered: number }[] }).rows;
    expect(cov?.covered).toBeGreaterThan(0);
    expect(md).toContain(
      `**Events with at least one insight:** ${Math.round(((cov?.covered ?? 0) / (cov?.total ?? 1)) * 100)} % (${cov?.covered} of ${cov?.total})`,
    );
    expect(md).toMatch(/\*\*Advocates who captured:\*\* \d+ % \(\d+ of \d+\)/);
    const html = (await download(summary.id, 'html')).bytes.toString('utf8');
    expect(html).toContain('<td>DEC-1</td>');
    expect(pdfPlainText((await download(summary.id, 'pdf')).bytes)).toContain(summary.title);
  });

  it('Security Review: claims model version, mapping rules, the admins by name, and no secret or e-mail', async () => {
    const summary = await generate('security');
    const md = await markdownOf(summary);
    const models = await priya.json<{ items: { version: number; status: string }[] }>('/api/v1/claims-model');
    const version = models.items.find((m) => m.status === 'active')?.version;
    expect(version).toBeGreaterThan(0);
    expect(md).toContain(`**Version:** v${version}`);
    for (const heading of [
      '## Sign-in path',
      '## Claims model',
      '## Mapping rules',
      '## Privileged people',
      '## Active exceptions',
      '## Last access review',
      '## Break-glass history (last 90 days)',
      '## Audit coverage',
      '## Latest audit chain verification',
    ])
      expect(md).toContain(heading);
    expect(md).toMatch(/\| Priya Raman \| Admin \| rule R\d+ /);
    expect(md).toMatch(/\| Noah Adeyemi \| Admin \| rule R\d+ /);
    expect(md).toContain('PKCE (S256)');
    expect(md).not.toMatch(/@example\.com/);
    expect(md).not.toContain(stack.config.oidc.clientSecret);
    expect(md).not.toContain('test-session-secret');
    const text = pdfPlainText((await download(summary.id, 'pdf')).bytes);
    expect(text).toContain(summary.title);
    expect(text).toContain('Noah Adeyemi');
  });

  it('Platform Engineering: runtime per environment from the overlays, probes, SLOs, alerts, dashboards', async () => {
    const summary = await generate('platform');
    const md = await markdownOf(summary);
    expect(md).toContain(
      '| prod | builder-insights.kanopy.internal | builder-insights-prod | 3 | 3–8 pods |',
    );
    expect(md).toContain('| dev | builder-insights.dev.kanopy.internal | builder-insights-dev | 1 |');
    expect(md).toContain('| readiness | /readyz |');
    expect(md).toContain('Builder Insights — RED');
    expect(md).toContain('## Service level objectives (over 28d)');
    expect(md).toContain('## Alert rules');
    expect(md).toMatch(/\*\*Migrations:\*\* current/);
    expect(md).not.toContain('postgres://');
    expect(pdfPlainText((await download(summary.id, 'pdf')).bytes)).toContain(summary.title);
  });
});

describe('audience packages: hashes, verification and downloads', () => {
  it('hashes verify against the audit log; the package.generated event records the same hashes', async () => {
    for (const summary of Object.values(generated)) {
      const verification = await priya.json<PackageVerification>(`/api/v1/packages/${summary.id}/verify`);
      expect(verification.ok).toBe(true);
      expect(verification.problem).toBeUndefined();
      expect(verification.checks.map((c) => c.format)).toEqual(['markdown', 'html', 'pdf', 'package']);
      for (const c of verification.checks)
        expect(c.stored === c.recomputed && c.audited === c.stored).toBe(true);
      const [event] = await db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'package.generated'), eq(auditEvents.targetId, summary.id)));
      expect(event?.seq).toBe(verification.auditEventSeq);
      expect(event?.actorId).toBe(priyaId);
      expect(event?.details).toEqual({
        audience: summary.audience,
        snapshotId: summary.snapshotId,
        hashes: summary.hashes,
      });
      const h = summary.hashes;
      expect(h.package).toBe(sha256(`${h.markdown}\n${h.html}\n${h.pdf}`));
    }
  });

  it('a tampered stored rendering fails verification naming the format', async () => {
    const target = generated.product as PackageSummary;
    await db()
      .update(audiencePackages)
      .set({ markdown: sql`${audiencePackages.markdown} || ' (edited)'` })
      .where(eq(audiencePackages.id, target.id));
    const verification = await priya.json<PackageVerification>(`/api/v1/packages/${target.id}/verify`);
    expect(verification.ok).toBe(false);
    const byFormat = Object.fromEntries(verification.checks.map((c) => [c.format, c]));
    expect(byFormat.markdown?.ok).toBe(false);
    expect(byFormat.markdown?.recomputed).not.toBe(target.hashes.markdown);
    expect(byFormat.html?.ok).toBe(true);
    expect(byFormat.pdf?.ok).toBe(true);
    expect(verification.problem).toMatch(/markdown/);

    // Re-hashing the stored copy to match does not help: the audit log still records the original hash.
    const [row] = await db().select().from(audiencePackages).where(eq(audiencePackages.id, target.id));
    const forged = { ...target.hashes, markdown: sha256(row?.markdown ?? '') };
    await db().update(audiencePackages).set({ hashes: forged }).where(eq(audiencePackages.id, target.id));
    const again = await priya.json<PackageVerification>(`/api/v1/packages/${target.id}/verify`);
    expect(again.ok).toBe(false);
    expect(again.checks.find((c) => c.format === 'markdown')?.audited).toBe(target.hashes.markdown);
    expect(again.problem).toMatch(/markdown \(the audit log records a different hash\)/);

    // A tampered PDF is named too.
    const pdfTarget = generated.platform as PackageSummary;
    await db()
      .update(audiencePackages)
      .set({ pdf: Buffer.from('%PDF-1.3 forged') })
      .where(eq(audiencePackages.id, pdfTarget.id));
    const pdfCheck = await priya.json<PackageVerification>(`/api/v1/packages/${pdfTarget.id}/verify`);
    expect(pdfCheck.ok).toBe(false);
    expect(pdfCheck.checks.filter((c) => !c.ok).map((c) => c.format)).toEqual(['pdf', 'package']);
  });

  it('download returns the stored bytes with the right headers, and is audited', async () => {
    const summary = generated.security as PackageSummary;
    const before = await db()
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'package.exported'), eq(auditEvents.targetId, summary.id)));
    const expected = {
      markdown: 'text/markdown; charset=utf-8',
      html: 'text/html; charset=utf-8',
      pdf: 'application/pdf',
    } as const;
    for (const format of ['markdown', 'html', 'pdf'] as const) {
      const { response, bytes } = await download(summary.id, format);
      expect(sha256(bytes)).toBe(summary.hashes[format]);
      expect(response.headers.get('content-type')).toBe(expected[format]);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const ext = { markdown: 'md', html: 'html', pdf: 'pdf' }[format];
      expect(response.headers.get('content-disposition')).toMatch(
        new RegExp(`^attachment; filename="builder-insights-security-package-\\d{8}-\\d{4}\\.${ext}"$`),
      );
      if (format === 'html') {
        expect(response.headers.get('content-security-policy')).toMatch(
          /^default-src 'none'; style-src 'unsafe-inline'/,
        );
        expect(bytes.toString('utf8')).not.toMatch(/<script/i);
      }
      if (format === 'pdf') expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    const after = await db()
      .select({ details: auditEvents.details, actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'package.exported'), eq(auditEvents.targetId, summary.id)))
      .orderBy(asc(auditEvents.seq));
    expect(after.length - Number(before[0]?.n ?? 0)).toBe(3);
    expect(after.slice(-3).map((e) => e.details)).toEqual(
      ['markdown', 'html', 'pdf'].map((format) => ({ audience: 'security', format })),
    );
    expect(after.every((e) => e.actorId === priyaId)).toBe(true);
  });

  it('lists newest first, by audience, with a cursor; reads one by id', async () => {
    const all = await priya.json<PackageList>('/api/v1/packages');
    expect(all.items.length).toBe(4);
    const times = all.items.map((p) => p.generatedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const security = await priya.json<PackageList>('/api/v1/packages?audience=security');
    expect(security.items.map((p) => p.id)).toEqual([generated.security?.id]);
    const first = await priya.json<PackageList>('/api/v1/packages?limit=3');
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await priya.json<PackageList>(
      `/api/v1/packages?limit=3&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );
    expect(second.items.map((p) => p.id)).toEqual([all.items[3]?.id]);
    expect(second.nextCursor).toBeNull();
    const one = await priya.json<PackageSummary>(`/api/v1/packages/${generated.leadership?.id}`);
    expect(one).toEqual({ ...generated.leadership });
    expect((await priya.get('/api/v1/packages?cursor=bm9wZQ')).status).toBe(400);
  });
});

describe('audience packages: who may, and bad requests', () => {
  it('managers and viewers are refused (403) for every package route; unknown ids are 404', async () => {
    const id = generated.leadership?.id as string;
    for (const who of [maya, victor]) {
      expect((await who.post('/api/v1/packages', { audience: 'leadership' })).status).toBe(403);
      expect((await who.get('/api/v1/packages')).status).toBe(403);
      expect((await who.get(`/api/v1/packages/${id}`)).status).toBe(403);
      expect((await who.get(`/api/v1/packages/${id}/download?format=pdf`)).status).toBe(403);
      expect((await who.get(`/api/v1/packages/${id}/verify`)).status).toBe(403);
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of [`/${unknown}`, `/${unknown}/verify`, `/${unknown}/download?format=html`])
      expect((await priya.get(`/api/v1/packages${path}`)).status).toBe(404);
    const [{ n } = { n: 0 }] = await db().select({ n: count() }).from(audiencePackages);
    expect(Number(n)).toBe(4);
  });

  it('an admin without a fresh MFA step-up cannot generate (privileged)', async () => {
    const noah = await stack.signIn('Noah', { auth: 'pwd' });
    const response = await noah.post('/api/v1/packages', { audience: 'security' });
    expect(response.status).toBe(403);
    const problem = (await response.json()) as { title: string; stepUpUrl?: string };
    expect(problem.title).toBe('Step-up required');
  });

  it('an unknown audience is a 400 naming body.audience; a bad format is a 400 naming query.format', async () => {
    const response = await priya.post('/api/v1/packages', { audience: 'board' });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toContain('body.audience');
    const extra = await priya.post('/api/v1/packages', { audience: 'leadership', secret: true });
    expect(extra.status).toBe(400);
    const format = await priya.get(`/api/v1/packages/${generated.leadership?.id}/download?format=docx`);
    expect(format.status).toBe(400);
    expect(((await format.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(
      'query.format',
    );
    // Nobody's e-mail leaks into a stored package.
    const emails = (await db().select({ email: people.email }).from(people)).map((p) => p.email);
    const stored = await db().select().from(audiencePackages);
    for (const p of stored) for (const email of emails) expect(p.markdown.includes(email)).toBe(false);
  });
});

describe('audience packages follow live state', () => {
  it('a new exception, review campaign, break-glass drill, chain verification and drill show in the next packages', async () => {
    const ids = new Map(
      (await db().select({ id: people.id, name: people.displayName }).from(people)).map((p) => [
        p.name,
        p.id,
      ]),
    );
    const victorId = ids.get('Victor Chen') as string;
    const noahId = ids.get('Noah Adeyemi') as string;
    const now = new Date();
    const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
    const before = await markdownOf(generated.security as PackageSummary);
    expect(before).not.toContain('Victor Chen');

    await db()
      .insert(accessExceptions)
      .values({
        subjectId: victorId,
        role: 'manager',
        scopeKind: 'team',
        scopeTarget: 'amer',
        justification: 'Covers the AMER team during parental leave',
        status: 'active',
        requestedBy: noahId,
        requestedAt: now,
        expiresAt: inDays(30),
        decidedBy: priyaId,
        decidedAt: now,
      });
    await db()
      .insert(accessReviewCampaigns)
      .values({
        name: 'Q4 privileged access review',
        kind: 'privileged',
        status: 'open',
        dueAt: inDays(14),
        createdBy: priyaId,
      });
    await db().transaction((tx) =>
      audit(tx, systemContext('test'), {
        action: 'break_glass.drilled',
        targetId: null,
        details: { name: 'bg-ops-1', verified: true, idpReachable: true },
        actor: { personId: noahId, sessionId: null, role: 'admin' },
      }),
    );
    await db()
      .insert(auditVerifications)
      .values({
        startedAt: now,
        finishedAt: now,
        trigger: 'admin',
        ok: true,
        eventsChecked: 123,
        checkpointsChecked: 2,
        headSeq: 123,
        headHash: 'x'.repeat(64),
      });
    await db().insert(readinessRecords).values({
      kind: 'rollback_drill',
      environment: 'staging',
      outcome: 'passed',
      performedAt: now,
      recordedBy: priyaId,
      source: 'api',
    });

    const security = await markdownOf(await generate('security'));
    expect(security).toMatch(/\| Victor Chen \| Manager \| exception until \d{4}-\d{2}-\d{2} \|/);
    expect(security).toMatch(
      /\| Victor Chen \| Manager, Team \(amer\) \| Covers the AMER team during parental leave \| Priya Raman \|/,
    );
    expect(security).toContain('**Campaign:** Q4 privileged access review');
    expect(security).toMatch(/\| break\\_glass\.drilled \| success \| Noah Adeyemi \|/);
    expect(security).toContain('**Result:** intact');
    expect(security).toContain('**Events checked:** 123');
    expect(security).not.toContain('No break-glass activity');

    const platform = await markdownOf(await generate('platform'));
    expect(platform).toMatch(
      /\| staging \| none recorded \| passed \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(api\) \|/,
    );
    expect(platform).toMatch(/\*\*Last rollback drill:\*\* passed in staging/);
  });
});
