import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgSources } from '../../src/server/db/schema.ts';
import { loadWorkforce } from '../../src/server/devidp/workforce.ts';
import type { TestStack } from '../helpers/stack.ts';
import { reportCspViolations, startBrowserStack, watchProblems } from './browser.ts';

/**
 * The org-aware entitlements control plane in a real browser: an HR feed upload, people with the provenance of
 * their access, a rule change previewed, an exception requested and approved by a second admin, and an access
 * review decided by a manager and closed by an admin — with no console errors or CSP violations anywhere.
 */
let stack: TestStack;
let browser: Browser;
/** Priya (admin, MFA), kept across the tests. */
let priya: Page;
/** Noah (admin), signed in without MFA: his first privileged action goes through "Verify it's you". */
let noah: Page;
/** While true, the browser's own "403" log line for a step-up answer is expected, not a problem. */
let expectingStepUp = false;
const contexts: BrowserContext[] = [];
/** Console errors, uncaught exceptions and CSP violations on our origin, with the page they happened on. */
const problems: string[] = [];

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack());
  // People the org knows from their sign-ins (groups from the ID token); the HR feed adds the rest.
  for (const who of ['Maya', 'Ari', 'Ben', 'Victor']) await stack.signIn(who);
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.close();
});

const idpPicker = () => new RegExp(`^${stack.idp.issuer}/interaction/`);
const api = async <T>(page: Page, path: string): Promise<T> => {
  const response = await page.request.get(`${stack.baseUrl}${path}`);
  expect(response.status(), `GET ${path}`).toBe(200);
  return (await response.json()) as T;
};

/** A browser for one person, signed in at `path`; confirm() dialogs are accepted; problems are collected. */
async function openAs(name: string, path: string, auth?: 'pwd' | 'mfa'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  await reportCspViolations(context);
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  // From the sign-in on: the first visit's 401 (which sends the browser to sign in) is how it should be.
  let signedIn = false;
  watchProblems(page, stack.baseUrl, problems, {
    label: name,
    when: () => signedIn,
    ignore: (text) => expectingStepUp && text.includes('the server responded with a status of 403'),
  });
  await page.goto(`${stack.baseUrl}${path}`);
  await page.waitForURL(idpPicker());
  if (auth !== undefined) await page.locator('select[name="auth"]').selectOption(auth);
  signedIn = true;
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.waitForURL(`${stack.baseUrl}${path}`);
  await settled(page);
  return page;
}

/**
 * LeafyGreen form fields get their label ids in an effect after the first render: until then every field's
 * label is "…-label-undefined" and labels resolve to the wrong field. Wait for the page's fields to settle.
 */
async function settled(page: Page) {
  await page.locator('main').first().waitFor();
  await expect
    .poll(() => page.locator('[aria-labelledby*="-undefined"], [id$="-undefined"]').count())
    .toBe(0);
}

/** The demo workforce as an HR feed CSV: the manager column holds the manager's employee number. */
function hrFeedCsv(): string {
  const people = loadWorkforce();
  const numberOf = new Map(people.map((p) => [p.email, p.employeeNumber]));
  const rows = people.map((p) =>
    [
      p.employeeNumber,
      p.email,
      `${p.givenName} ${p.familyName}`,
      p.managerEmail === null ? '' : (numberOf.get(p.managerEmail) ?? ''),
      p.department,
      `"${p.title}"`,
      p.builderRelations ? 'true' : 'false',
    ].join(','),
  );
  return ['employee_number,email,name,manager,department,title,builder_relations', ...rows].join('\n');
}

/** Choose an option of a LeafyGreen Select by its label. */
async function choose(page: Page, scope: ReturnType<Page['locator']>, label: string, option: string) {
  await settled(page);
  await scope.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('org-aware entitlements in the admin app, in a real browser', () => {
  it('an admin previews an HR feed on the Org page, applies it, and a stale source is flagged on every page', async () => {
    priya = await openAs('Priya Raman', '/admin/org', 'mfa');
    await priya.getByTestId('source-hr').waitFor();
    await priya.locator('input[type="file"]').setInputFiles({
      name: 'workforce.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(hrFeedCsv(), 'utf8'),
    });
    const preview = priya.getByTestId('import-preview');
    await preview.waitFor();
    // Ari signed in before: a mover, whose manager becomes Maya.
    const ari = preview.getByTestId('import-mover').filter({ hasText: 'Ari Levy' });
    await expect.poll(() => ari.textContent()).toContain('Manager: (none) → Maya Patel (E1002)');
    expect(await preview.textContent()).toContain('Joiners (');
    await preview.getByRole('button', { name: 'Apply' }).click();
    await priya.getByTestId('import-applied').waitFor();
    expect(await priya.getByTestId('org-stale-banner').count()).toBe(0);

    // The admin tightens the HR feed's staleness limit to an hour; its last sync was two hours ago.
    const hr = priya.getByTestId('source-hr');
    await hr.getByLabel('Maximum staleness (minutes)').fill('60');
    await hr.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => hr.textContent()).toContain('Stale after60 minutes');
    await stack.db.database.db
      .update(orgSources)
      .set({ lastSuccessAt: new Date(Date.now() - 2 * 3_600_000) })
      .where(eq(orgSources.id, 'hr'));
    // Every page says so, for admins.
    await priya.reload();
    const banner = priya.getByTestId('org-stale-banner');
    await expect.poll(() => banner.textContent()).toContain('HR feed is stale');
    expect(await banner.textContent()).toContain(
      'Last successful sync 2 hours ago; the limit is 60 minutes.',
    );
    await priya.getByRole('link', { name: 'Sessions', exact: true }).click();
    await priya.getByRole('heading', { name: 'Sessions' }).first().waitFor();
    expect(await banner.count()).toBe(1);
    await banner.getByRole('link', { name: 'Check the org sources' }).click();
    await priya.waitForURL(`${stack.baseUrl}/admin/org`);
    await settled(priya);

    // A SCIM credential for the identity provider: shown once, works until revoked.
    const scim = priya.getByTestId('scim-credentials');
    await scim.getByLabel('New credential name').fill('okta-e2e');
    await scim.getByRole('button', { name: 'Create SCIM credential' }).click();
    const issued = priya.getByTestId('issued-scim-token');
    const token = await issued.getByLabel('SCIM bearer token').inputValue();
    expect(await issued.textContent()).toContain("you won't see it again");
    const scimUsers = () =>
      fetch(`${stack.baseUrl}/scim/v2/Users?count=1`, { headers: { authorization: `Bearer ${token}` } });
    expect((await scimUsers()).status).toBe(200);
    await issued.getByRole('button', { name: 'Done' }).click();
    expect(await issued.count()).toBe(0);
    const credential = scim.getByTestId('scim-credential').filter({ hasText: 'okta-e2e' });
    expect(await credential.textContent()).toContain(token.slice(0, 13));
    await credential.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => credential.textContent()).toContain('revoked');
    expect((await scimUsers()).status).toBe(401);
  });

  it('People shows effective access with the rule and facts behind it; a person page shows the chain', async () => {
    await priya.getByRole('link', { name: 'People', exact: true }).click();
    await settled(priya);
    await priya.getByLabel('Search').fill('Ari');
    const row = priya.getByTestId('person-row').filter({ hasText: 'ari.levy@example.com' });
    await row.waitFor();
    await expect.poll(() => priya.getByTestId('person-row').count()).toBe(1);
    const text = await row.textContent();
    expect(text).toContain('Advocate');
    expect(text).toMatch(/Advocate \(team\) because rule R\d+ matched: .*builder-relations/);
    expect(text).toContain('Reports to Maya Patel');

    await row.getByRole('link', { name: 'Ari Levy' }).click();
    await priya.getByTestId('person-detail').getByRole('heading', { name: 'Ari Levy' }).waitFor();
    const chain = priya.getByTestId('manager-chain');
    await expect.poll(() => chain.textContent()).toContain('Maya Patel');
    expect(await chain.textContent()).toContain('Dana Okafor');
    expect(await priya.getByTestId('source-records').textContent()).toContain('HR feed');
  });

  it('Rules: an edit is validated as typed, its preview shows who gains what, and a proposal waits for a second admin', async () => {
    await priya.getByRole('link', { name: 'Rules', exact: true }).click();
    const editor = priya.locator('textarea[name="rules"]');
    const spec = JSON.parse(await editor.inputValue()) as { rules: unknown[] };
    await editor.fill('{ "rules": ');
    await expect.poll(() => priya.getByTestId('rules-check').textContent()).toContain('Not valid JSON');
    spec.rules.push({
      id: 'R90',
      description: 'AMER team members lead their team',
      when: { groupsAny: ['br-team-amer'] },
      grant: { role: 'manager', scope: 'team' },
    });
    await editor.fill(JSON.stringify(spec, null, 2));
    await expect.poll(() => priya.getByTestId('rules-check').textContent()).toBe('Valid. Changes: R90.');
    expect(await priya.getByRole('button', { name: 'Propose' }).isDisabled()).toBe(true);

    await priya.getByRole('button', { name: 'Preview' }).click();
    const ari = priya.getByTestId('preview-change').filter({ hasText: 'Ari Levy' });
    await ari.waitFor();
    const change = await ari.textContent();
    expect(change).toContain('Advocate · ');
    expect(change).toContain('→ Manager · ');
    expect(change).toMatch(/\+ Gains: Manager \(team\) because rule R90 matched: in group br-team-amer/);
    const totals = await priya.getByTestId('rules-preview-totals').textContent();
    expect(totals).toMatch(/Gain something[1-9]/);

    await priya.getByLabel('Reason for the change').fill('E2E: AMER advocates lead their team');
    await priya.getByRole('button', { name: 'Propose' }).click();
    await expect
      .poll(() => priya.getByTestId('rules-done').textContent())
      .toContain('another admin approves it');
    const pending = priya.getByTestId('pending-version');
    await pending.getByTestId('approve-not-yours').waitFor();
    expect(await pending.getByRole('button', { name: /^Approve/ }).count()).toBe(0);

    // A second admin, signed in without MFA, may approve it; his own change goes through "Verify it's you"
    // and comes back with the draft, its preview and its reason intact.
    noah = await openAs('Noah Adeyemi', '/admin/rules', 'pwd');
    await noah.getByTestId('pending-version').getByRole('button', { name: 'Approve v2' }).waitFor();
    const editor2 = noah.locator('textarea[name="rules"]');
    const spec2 = JSON.parse(await editor2.inputValue()) as { rules: { description: string }[] };
    const first = spec2.rules[0];
    if (first === undefined) throw new Error('no rules');
    first.description = 'Members of bi-admins administer Builder Insights';
    await editor2.fill(JSON.stringify(spec2, null, 2));
    await noah.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => noah.getByTestId('rules-preview').textContent())
      .toContain("Nobody's access changes");
    await noah.getByLabel('Reason for the change').fill('E2E: clearer wording for R1');
    expectingStepUp = true;
    await noah.getByRole('button', { name: 'Propose' }).click();
    await noah.getByTestId('step-up-banner').getByRole('link', { name: "Verify it's you" }).click();
    await noah.waitForURL(idpPicker());
    expectingStepUp = false;
    await noah.locator('select[name="auth"]').selectOption('mfa');
    await noah.getByRole('button', { name: 'Sign in as Noah Adeyemi' }).click();
    await noah.waitForURL(`${stack.baseUrl}/admin/rules`);
    await settled(noah);
    expect(await noah.locator('textarea[name="rules"]').inputValue()).toContain(
      'administer Builder Insights',
    );
    expect(await noah.getByLabel('Reason for the change').inputValue()).toBe('E2E: clearer wording for R1');
    await noah.getByTestId('rules-preview').waitFor();
    await noah.getByRole('button', { name: 'Propose' }).click();
    await expect.poll(() => noah.getByTestId('rules-done').textContent()).toContain('Version 3 is proposed');

    // His proposal withdrew Priya's; he withdraws his own: the review below expects today's rules.
    const pending3 = noah.getByTestId('pending-version');
    await pending3.getByRole('button', { name: 'Withdraw…' }).click();
    await pending3.getByLabel('Why withdraw it?').fill('E2E: only a rehearsal');
    await pending3.getByRole('button', { name: 'Withdraw', exact: true }).click();
    await expect.poll(() => noah.getByTestId('rules-done').textContent()).toContain('was rejected');
    const overview = await api<{ pending: unknown; versions: { version: number; status: string }[] }>(
      priya,
      '/api/v1/entitlements/rules',
    );
    expect(overview.pending).toBeNull();
    expect(overview.versions.slice(0, 2)).toMatchObject([
      { version: 3, status: 'rejected' },
      { version: 2, status: 'rejected' },
    ]);
    await priya.reload();
    expect(await priya.getByTestId('rules-history').textContent()).toContain('Withdrawn by Noah Adeyemi');
  });

  it('an exception for Ari is requested, approved by a second admin, and shows its days left', async () => {
    await priya.getByRole('link', { name: 'Exceptions', exact: true }).click();
    await priya.getByRole('button', { name: 'Request an exception' }).click();
    await settled(priya);
    const form = priya.getByTestId('exception-form');
    const picker = form.getByTestId('subject-picker');
    await picker.getByRole('button', { name: 'Remove Priya Raman' }).click();
    await picker.getByLabel('Who receives the access').fill('Ari');
    await picker.getByRole('button', { name: /Ari Levy/ }).click();
    await choose(priya, form, 'Role', 'Manager');
    await choose(priya, form, 'Scope', 'Team');
    await form.locator('textarea[name="justification"]').fill('Covers for Maya while she is on leave in May');
    await form.getByRole('button', { name: 'Request exception' }).click();
    await expect.poll(() => priya.getByTestId('exception-done').textContent()).toContain('for Ari Levy');
    const requested = priya.getByTestId('exception-row').filter({ hasText: 'ari.levy@example.com' });
    expect(await requested.textContent()).toContain('You asked for it: someone else decides.');

    await noah.getByRole('link', { name: 'Exceptions', exact: true }).click();
    const row = noah.getByTestId('exception-row').filter({ hasText: 'ari.levy@example.com' });
    await row.getByRole('button', { name: 'Approve…' }).click();
    await row.getByLabel('Approval note (optional)').fill('Agreed with Maya');
    await row.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect.poll(() => noah.getByTestId('exception-done').textContent()).toContain('Approved');

    await priya.reload();
    const active = priya.getByTestId('exception-row').filter({ hasText: 'ari.levy@example.com' });
    await expect.poll(() => active.getByTestId('days-left').textContent()).toBe('30 days left');
    const page = await api<{ items: { status: string; daysLeft: number; decidedBy: { name: string } }[] }>(
      priya,
      '/api/v1/access/exceptions?status=active',
    );
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      status: 'active',
      daysLeft: 30,
      decidedBy: { name: 'Noah Adeyemi' },
    });
  });

  it('a review campaign: Maya keeps one item and revokes another with a comment; Priya closes it and sees the report hash', async () => {
    await priya.getByRole('link', { name: 'Reviews', exact: true }).click();
    await priya.getByRole('button', { name: 'Start a campaign' }).click();
    await settled(priya);
    const form = priya.getByTestId('campaign-form');
    await form.getByLabel('Name').fill('E2E review of Ari');
    await choose(priya, form, 'Who is reviewed', 'Custom: the people you choose');
    await form.getByLabel('People to review').fill('Ari');
    await form.getByRole('button', { name: /Ari Levy/ }).click();
    await form.getByRole('button', { name: 'Start campaign' }).click();
    const created = priya.getByTestId('campaign-created');
    await expect.poll(() => created.textContent()).toContain('3 items for 1 reviewer.');

    const maya = await openAs('Maya Patel', '/admin/reviews');
    // A manager: People (her scope), Exceptions and Reviews; not the admin pages, nor the stale-source banner.
    for (const [label, count] of [
      ['People', 1],
      ['Exceptions', 1],
      ['Reviews', 1],
      ['Rules', 0],
      ['Org', 0],
    ] as const)
      expect(await maya.getByRole('link', { name: label, exact: true }).count(), label).toBe(count);
    expect(await maya.getByTestId('org-stale-banner').count()).toBe(0);
    const inbox = maya.getByTestId('review-inbox');
    await expect.poll(() => inbox.getByTestId('review-item').count()).toBe(3);
    const kept = inbox.locator('[data-testid="review-item"][data-source="org"]');
    await kept.getByRole('button', { name: 'Keep' }).click();
    await expect.poll(() => maya.getByTestId('decision-done').textContent()).toContain('Kept Ari Levy');
    await expect.poll(() => inbox.getByTestId('review-item').count()).toBe(2);
    const revoked = inbox.locator('[data-testid="review-item"][data-source="idp_group"]');
    expect(await revoked.getByRole('button', { name: 'Revoke' }).isDisabled()).toBe(true);
    await revoked.getByLabel('Comment').fill('Ari moved to the partner team');
    await revoked.getByRole('button', { name: 'Revoke' }).click();
    await expect
      .poll(() => maya.getByTestId('decision-done').textContent())
      .toContain('removal request is open');
    await expect.poll(() => inbox.getByTestId('review-item').count()).toBe(1);

    // Priya: the campaign page, closed by force (the exception item is undecided), then the sealed report.
    await created.getByRole('link', { name: 'Open it' }).click();
    const campaignPage = priya.getByTestId('campaign-page');
    await campaignPage.getByRole('heading', { name: 'E2E review of Ari' }).waitFor();
    await expect.poll(() => campaignPage.getByTestId('item-decided').count()).toBe(2);
    const close = priya.getByTestId('close-campaign');
    await close
      .getByLabel(/Why close with undecided items/)
      .fill('Maya is out; the exception expires anyway');
    await close.getByRole('button', { name: 'Close with undecided items' }).click();
    const hash = priya.getByTestId('report-sha256');
    await expect.poll(() => hash.textContent()).toMatch(/^[0-9a-f]{64}$/);
    const id = priya.url().split('/').at(-1) ?? '';
    const campaign = await api<{ status: string; reportSha256: string }>(
      priya,
      `/api/v1/access-reviews/${id}`,
    );
    expect(campaign.status).toBe('closed');
    expect(await hash.textContent()).toBe(campaign.reportSha256);
    const report = await priya.request.get(`${stack.baseUrl}/api/v1/access-reviews/${id}/report.json`);
    expect(
      createHash('sha256')
        .update(await report.body())
        .digest('hex'),
    ).toBe(campaign.reportSha256);
    await priya.getByRole('button', { name: "Check the files' hashes" }).click();
    await expect.poll(() => priya.getByTestId('report-check-json').textContent()).toContain('— matches');
    expect(await priya.getByTestId('report-check-csv').textContent()).toContain('— matches');

    // The revoked IdP-group entitlement became a removal request: Priya marks it done.
    await priya.getByRole('link', { name: '← Access reviews' }).click();
    const removal = priya.getByTestId('removal-request').filter({ hasText: 'Ari Levy' });
    await removal.getByRole('button', { name: 'Mark done…' }).click();
    await removal.getByLabel('What was done (optional)').fill('IDP-1234');
    await removal.getByRole('button', { name: 'Mark done', exact: true }).click();
    await expect.poll(() => priya.getByTestId('removal-request').count()).toBe(0);
  });

  it('showed no console errors and no CSP violations on any page', () => {
    expect(problems).toEqual([]);
  });
});
