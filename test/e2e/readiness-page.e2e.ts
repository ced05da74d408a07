import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Attestation,
  GateResult,
  ReadinessRecordList,
  ReadinessReport,
  ReadinessSnapshotList,
} from '../../src/contract/api/readiness.ts';
import type { Session, TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';

/**
 * The readiness page in a real browser. Priya (admin, MFA) sees the same verdict the API gives, attests a failing
 * manual gate through the form and its row turns pass (the API agrees), meets a stale-version conflict as "someone
 * changed it, reload", records a rollback drill, and takes a snapshot that appears in the history and opens
 * read-only. Victor (viewer) reads the page without any edit control. No console errors or CSP violations.
 */
let stack: TestStack;
let browser: Browser;
let priyaApi: Session;
let priya: Page;
let gate: GateResult;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
/** While true, the browser's own log line for an expected 409 (conflict) or 403 (step-up) is not a problem. */
let expectingConflict = false;
let expectingStepUp = false;

const PREFERRED_GATE = 'runtime.ingress_dns_planned';

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack());
  priyaApi = await stack.signIn('Priya', { auth: 'mfa' });
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.close();
});

const report = () => priyaApi.json<ReadinessReport>('/api/v1/readiness');
const gateOf = (r: ReadinessReport, id: string) => r.blocks.flatMap((b) => b.gates).find((g) => g.id === id);

/** A browser for one person, signed in at `path`; problems are collected from the sign-in on. */
async function openAs(name: string, path: string, auth?: 'pwd' | 'mfa'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
    );
  });
  const page = await context.newPage();
  let signedIn = false;
  page.on('console', (message) => {
    const url = message.location().url;
    const text = message.text();
    if (expectingConflict && text.includes('the server responded with a status of 409')) return;
    if (expectingStepUp && text.includes('the server responded with a status of 403')) return;
    if (signedIn && message.type() === 'error' && (url === '' || url.startsWith(stack.baseUrl)))
      problems.push(`${name} ${page.url()}: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`${name} ${page.url()}: ${error.message}`));
  await page.goto(`${stack.baseUrl}${path}`);
  await page.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
  if (auth !== undefined) await page.locator('select[name="auth"]').selectOption(auth);
  signedIn = true;
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.waitForURL((url) => url.pathname === path);
  await page.locator('main').first().waitFor();
  return page;
}

/** LeafyGreen fields get their label ids in an effect after the first render: wait until they have them. */
async function settled(page: Page) {
  await expect
    .poll(() => page.locator('[aria-labelledby*="-undefined"], [id$="-undefined"]').count())
    .toBe(0);
}

const gateRow = (page: Page, id: string) => page.locator(`[data-testid="gate-row"][data-gate-id="${id}"]`);

/** Opens a gate's details (evidence, fix, and for admins the attestation controls). */
async function openDetails(page: Page, id: string) {
  const row = gateRow(page, id).first();
  await row.getByRole('button', { name: /^Details/ }).click();
  const details = row.locator('xpath=following-sibling::tr[1]').getByTestId('gate-details');
  await details.waitFor();
  return details;
}

/** The details of a gate that are open already. */
const detailsOf = (page: Page, id: string) =>
  gateRow(page, id).first().locator('xpath=following-sibling::tr[1]').getByTestId('gate-details');

describe('the readiness page', () => {
  it("shows the API's verdict, counts and every block", async () => {
    priya = await openAs('Priya Raman', '/admin/readiness', 'mfa');
    await priya.getByRole('heading', { level: 1, name: 'Readiness' }).waitFor();
    const live = await report();
    const verdict = priya.getByTestId('readiness-verdict').getByTestId('verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-verdict')).toBe(live.verdict);
    expect(await priya.getByTestId('readiness-verdict').getByTestId('environment').textContent()).toBe(
      live.environment,
    );
    const blocks = await priya
      .getByTestId('readiness-block')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-block')));
    expect(blocks).toEqual(live.blocks.map((b) => b.id));
    const shownFail = await priya.getByTestId('readiness-verdict').getByTestId('count-fail').textContent();
    expect(Number(shownFail)).toBe(live.counts.fail);

    // The gate to attest: the ingress/DNS plan if the model has it failing, otherwise any failing manual gate.
    const manualFailing = live.blocks
      .flatMap((b) => b.gates)
      .filter((g) => g.kind === 'manual' && g.status === 'fail');
    const picked = manualFailing.find((g) => g.id === PREFERRED_GATE) ?? manualFailing[0];
    expect(picked, 'a failing manual gate to attest').toBeDefined();
    gate = picked as GateResult;
    expect(await gateRow(priya, gate.id).getAttribute('data-status')).toBe('fail');
  });

  it('an admin attests a failing manual gate through the form and its row turns pass', async () => {
    const details = await openDetails(priya, gate.id);
    await details.getByRole('button', { name: 'Attest…' }).click();
    const form = priya.getByTestId('attest-form');
    await form.waitFor();
    await settled(priya);
    await form.getByLabel('Owner').fill('Platform team (Priya)');
    await form.getByLabel('Evidence URL').fill('https://wiki.example.com/runtime/ingress-dns-plan');
    await form.locator('textarea[name="note"]').fill('Ingress, DNS and callback URLs agreed with Kanopy.');
    await form.getByRole('button', { name: 'Save attestation' }).click();
    await form.waitFor({ state: 'detached' });

    await expect.poll(() => gateRow(priya, gate.id).getAttribute('data-status')).toBe('pass');
    expect(gateOf(await report(), gate.id)?.status).toBe('pass');
    const attestations = await priyaApi.json<{ items: Attestation[] }>('/api/v1/readiness/attestations');
    const mine = attestations.items.find((a) => a.gateId === gate.id);
    expect(mine?.owner).toBe('Platform team (Priya)');
    expect(mine?.attestedBy?.name).toBe('Priya Raman');
  });

  it('a stale form answers "someone changed it, reload", and reload shows the current attestation', async () => {
    await detailsOf(priya, gate.id).getByRole('button', { name: 'Attest…' }).click();
    const form = priya.getByTestId('attest-form');
    await form.waitFor();
    await settled(priya);
    expect(await form.getByLabel('Owner').inputValue()).toBe('Platform team (Priya)');

    // Someone else changes it meanwhile (the version the form read is now stale).
    const current = (
      await priyaApi.json<{ items: Attestation[] }>('/api/v1/readiness/attestations')
    ).items.find((a) => a.gateId === gate.id) as Attestation;
    const changed = await priyaApi.send('PUT', `/api/v1/readiness/gates/${gate.id}/attestation`, {
      status: 'pass',
      owner: 'Kanopy platform on-call',
      evidenceUrl: current.evidenceUrl,
      expiresAt: current.expiresAt,
      version: current.version,
    });
    expect(changed.status).toBe(200);

    expectingConflict = true;
    await form.getByLabel('Owner').fill('Platform team (stale)');
    await form.getByRole('button', { name: 'Save attestation' }).click();
    const conflict = form.getByTestId('attest-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Someone changed this attestation');
    expectingConflict = false;
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => form.getByLabel('Owner').inputValue()).toBe('Kanopy platform on-call');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });
  });

  it('an admin records a rollback drill', async () => {
    const before = (await priyaApi.json<ReadinessRecordList>('/api/v1/readiness/records')).items.length;
    await priya.getByRole('button', { name: 'Record a rollback drill…' }).click();
    const form = priya.getByTestId('record-form');
    await form.waitFor();
    await settled(priya);
    await form.getByLabel('Evidence URL (optional)').fill('https://wiki.example.com/drills/rollback-1');
    await form.locator('textarea[name="notes"]').fill('Rolled staging back one release in 4 minutes.');
    await form.getByRole('button', { name: 'Save record' }).click();
    await priya.getByTestId('record-done').waitFor();
    await priya.locator('[data-testid="record-row"][data-kind="rollback_drill"]').first().waitFor();

    const records = (await priyaApi.json<ReadinessRecordList>('/api/v1/readiness/records')).items;
    expect(records.length).toBe(before + 1);
    const drill = records.find((r) => r.kind === 'rollback_drill');
    expect(drill?.evidenceUrl).toBe('https://wiki.example.com/drills/rollback-1');
    expect(drill?.recordedBy?.name).toBe('Priya Raman');
  });

  it('an admin takes a snapshot: it appears in the history and opens read-only with what changed', async () => {
    const before = (await priyaApi.json<ReadinessSnapshotList>('/api/v1/readiness/snapshots')).items;
    await priya.getByTestId('take-snapshot').click();
    await priya.getByTestId('snapshot-done').waitFor();
    const after = (await priyaApi.json<ReadinessSnapshotList>('/api/v1/readiness/snapshots')).items;
    expect(after.length).toBe(before.length + 1);
    const newest = after[0];
    expect(newest?.takenBy?.name).toBe('Priya Raman');
    const row = priya.locator(`[data-testid="snapshot-row"][data-snapshot-id="${newest?.id}"]`);
    await row.waitFor();

    await row.getByRole('button', { name: /^View/ }).click();
    const view = priya.getByTestId('snapshot-view');
    await view.getByTestId('snapshot-verdict').waitFor();
    expect(await view.getByTestId('verdict').getAttribute('data-verdict')).toBe(newest?.verdict);
    // Taken just now: no gate changed status since.
    await view.getByTestId('snapshot-diff-none').waitFor();
    // Read-only: the snapshot's gates open to evidence but offer no attestation controls.
    expect(await view.getByTestId('readiness-block').count()).toBeGreaterThan(0);
    const snapshotGate = view.locator(`[data-testid="gate-row"][data-gate-id="${gate.id}"]`);
    expect(await snapshotGate.getAttribute('data-status')).toBe('pass');
    await snapshotGate.getByRole('button', { name: /^Details/ }).click();
    await view.getByTestId('gate-details').first().waitFor();
    expect(await view.getByRole('button', { name: 'Attest…' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('a viewer reads the page without any edit control', async () => {
    const victor = await openAs('Victor Chen', '/admin/readiness');
    const verdict = victor.getByTestId('readiness-verdict').getByTestId('verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-verdict')).toBe((await report()).verdict);
    await victor.locator('[data-testid="record-row"][data-kind="rollback_drill"]').first().waitFor();
    await victor.getByTestId('snapshot-row').first().waitFor();
    const details = await openDetails(victor, gate.id);
    const attestation = await details.getByTestId('gate-attestation').textContent();
    expect(attestation).toContain('https://wiki.example.com/runtime/ingress-dns-plan');
    expect(attestation).toContain('by Priya Raman');
    expect(await victor.getByTestId('take-snapshot').count()).toBe(0);
    expect(await victor.getByRole('button', { name: 'Attest…' }).count()).toBe(0);
    expect(await victor.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
    expect(await victor.getByRole('button', { name: /^Record a/ }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('an admin withdraws the attestation: the gate fails again and the open snapshot lists the change', async () => {
    const details = detailsOf(priya, gate.id);
    await details.getByRole('button', { name: 'Withdraw', exact: true }).click();
    await details
      .getByTestId('withdraw-confirm')
      .getByRole('button', { name: 'Withdraw attestation' })
      .click();
    await expect.poll(() => gateRow(priya, gate.id).first().getAttribute('data-status')).toBe('fail');
    expect(gateOf(await report(), gate.id)?.status).toBe('fail');
    const attestations = await priyaApi.json<{ items: Attestation[] }>('/api/v1/readiness/attestations');
    expect(attestations.items.some((a) => a.gateId === gate.id)).toBe(false);

    // The snapshot taken before still says pass: the diff names the gate, pass → fail.
    const change = priya
      .getByTestId('snapshot-view')
      .locator(`[data-testid="snapshot-diff-item"][data-gate-id="${gate.id}"]`);
    await change.waitFor();
    const statuses = await change
      .getByTestId('status-badge')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-status')));
    expect(statuses).toEqual(['pass', 'fail']);
    expect(problems).toEqual([]);
  });

  it('an admin without a fresh MFA goes through "Verify it\'s you" and comes back to the same draft', async () => {
    const live = await report();
    const other = live.blocks
      .flatMap((b) => b.gates)
      .find((g) => g.kind === 'manual' && g.status === 'fail' && g.id !== gate.id);
    expect(other, 'a second failing manual gate').toBeDefined();
    const target = other as GateResult;
    const noah = await openAs('Noah Adeyemi', '/admin/readiness', 'pwd');
    await gateRow(noah, target.id).waitFor();
    const details = await openDetails(noah, target.id);
    await details.getByRole('button', { name: 'Attest…' }).click();
    const form = noah.getByTestId('attest-form');
    await form.waitFor();
    await settled(noah);
    await form.getByLabel('Owner').fill('Security (Noah)');
    await form.getByLabel('Evidence URL').fill('https://wiki.example.com/security/evidence');
    expectingStepUp = true;
    await form.getByRole('button', { name: 'Save attestation' }).click();
    await noah.getByTestId('step-up-banner').getByRole('link', { name: "Verify it's you" }).click();
    await noah.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
    expectingStepUp = false;
    await noah.locator('select[name="auth"]').selectOption('mfa');
    await noah.getByRole('button', { name: 'Sign in as Noah Adeyemi' }).click();
    await noah.waitForURL(`${stack.baseUrl}/admin/readiness`);

    // Back on the page, the form reopened with the draft: save it again.
    const again = noah.getByTestId('attest-form');
    await again.waitFor();
    await settled(noah);
    expect(await again.getByLabel('Owner').inputValue()).toBe('Security (Noah)');
    expect(await again.getByLabel('Evidence URL').inputValue()).toBe(
      'https://wiki.example.com/security/evidence',
    );
    expect(gateOf(await report(), target.id)?.status).toBe('fail');
    await again.getByRole('button', { name: 'Save attestation' }).click();
    await again.waitFor({ state: 'detached' });
    await expect.poll(() => gateRow(noah, target.id).getAttribute('data-status')).toBe('pass');
    expect(gateOf(await report(), target.id)?.status).toBe('pass');
    expect(problems).toEqual([]);
  });
});
