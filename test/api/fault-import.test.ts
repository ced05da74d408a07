import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../src/contract/api/imports.ts';
import { APPLY_CHUNK, STALE_AFTER_MS } from '../../src/server/modules/imports/imports.apply.ts';
import { suiteDatabase } from '../helpers/db.ts';
import type { Session } from '../helpers/stack.ts';
import { type ProxiedPostgresStack, startStackBehindProxy } from '../helpers/tcp-proxy.ts';

/**
 * A restart in the middle of a PMO import apply (the only multi-step apply: the HR feed import writes in one
 * transaction, all or nothing). The apply runs in the background, a chunk of rows per transaction. To kill its
 * worker the way a crashed pod does, the database path is cut under it (a TCP proxy is paused: the chunk in
 * flight is lost, and so is the worker's attempt to record the failure), then the app is hard-restarted. The
 * import is left `applying` with nobody working on it; applying again is refused while another worker could
 * still be alive, resumes once the import is stale, and the file ends up imported exactly once.
 *
 * PostgreSQL only: on the embedded PGlite the worker runs in the test's own process and would survive a
 * restart of the HTTP server; the restart itself is covered by test/api/rolling-shutdown.test.ts.
 */
const suite = suiteDatabase();
if (suite.kind !== 'postgres')
  console.warn('fault-import: PostgreSQL only (set DATABASE_URL); skipped on the embedded PGlite');

const ROWS = 1_000;
const base = '/api/v1/event-imports';
const clock = { offset: 0 };
const now = () => new Date(Date.now() + clock.offset);
let faulty: ProxiedPostgresStack;
let priya: Session;

beforeAll(async () => {
  if (suite.kind !== 'postgres') return;
  faulty = await startStackBehindProxy(suite.url, { now });
  priya = await faulty.stack.signIn('Priya');
});
afterAll(async () => {
  await faulty?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await faulty.direct.query<{ n: string }>(sql, values);
  return Number(rows[0]?.n);
}
const importedEvents = () => count(`select count(*) as n from events where name like 'Restart Event %'`);
const distinctImportedEvents = () =>
  count(`select count(distinct name) as n from events where name like 'Restart Event %'`);
const auditOf = (action: string, importId: string) =>
  count(
    `select count(*) as n from audit_events where action = $1
        and (target_id = $2 or details->>'importId' = $2)`,
    [action, importId],
  );
async function importRow(id: string) {
  const { rows } = await faulty.direct.query<{ status: string; processed_rows: number }>(
    'select status, processed_rows from event_imports where id = $1',
    [id],
  );
  return rows[0];
}

describe.runIf(suite.kind === 'postgres')('a restart in the middle of an import apply (PostgreSQL)', () => {
  it('resumes where the lost worker stopped and imports every row exactly once', async () => {
    const { stack, proxy } = faulty;
    const lines = ['Event;Start;Region'];
    for (let i = 0; i < ROWS; i += 1)
      lines.push(`Restart Event ${i};2027-03-${String((i % 28) + 1).padStart(2, '0')};AMER`);
    const uploaded = await priya.post(base, { fileName: 'pmo-big.csv', csv: lines.join('\r\n') });
    expect(uploaded.status, await uploaded.clone().text()).toBe(201);
    const { id } = (await uploaded.json()) as ImportPreview;

    const started = await priya.post(`${base}/${id}/apply`, {});
    expect(started.status, await started.clone().text()).toBe(202);
    // Cut the database away as soon as some chunks are written and more are to come.
    for (let row = await importRow(id); ; row = await importRow(id)) {
      expect(row?.status).toBe('applying');
      if ((row?.processed_rows ?? 0) >= APPLY_CHUNK) break;
      await sleep(5);
    }
    await proxy.pause();
    const failedAt = stack.logs.length;
    const gaveUp = () =>
      stack.logs.slice(failedAt).some((l) => l.msg === 'PMO import: recording the failure failed too');
    for (const deadline = Date.now() + 10_000; !gaveUp() && Date.now() < deadline; ) await sleep(20);
    expect(gaveUp(), 'the worker lost the database and could not record it').toBe(true);
    await proxy.resume();
    await stack.restart({ hard: true });

    // What the crash left: an import `applying` with no worker, the committed chunks and nothing else.
    const left = await importRow(id);
    expect(left?.status).toBe('applying');
    const done = left?.processed_rows ?? 0;
    expect(done % APPLY_CHUNK).toBe(0);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(ROWS);
    expect(await importedEvents()).toBe(done);
    expect(await auditOf('event.created', id)).toBe(done);

    // Another worker might still be alive: applying again is refused until the import is stale.
    const tooSoon = await priya.post(`${base}/${id}/apply`, {});
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    clock.offset += STALE_AFTER_MS + 1_000;
    const resumed = await priya.post(`${base}/${id}/apply`, {});
    expect(resumed.status, await resumed.clone().text()).toBe(202);
    expect(((await resumed.json()) as ImportPreview).processedRows).toBe(done);

    let final: ImportPreview | null = null;
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; await sleep(50)) {
      const seen = await priya.json<ImportPreview>(`${base}/${id}`);
      if (seen.status !== 'applying') {
        final = seen;
        break;
      }
    }
    expect(final).toMatchObject({ status: 'applied', processedRows: ROWS, error: null });
    expect(final?.counts).toMatchObject({ totalRows: ROWS, create: ROWS });
    expect(await importedEvents()).toBe(ROWS);
    expect(await distinctImportedEvents()).toBe(ROWS);
    expect(await auditOf('event.created', id)).toBe(ROWS);
    expect(await auditOf('event_import.applied', id)).toBe(1);

    // And applying it once more is refused: the file is gone, nothing is written twice.
    const again = await priya.post(`${base}/${id}/apply`, {});
    expect(again.status).toBe(409);
    expect(await importedEvents()).toBe(ROWS);
    // No connection was lost for good: every one the outage broke was given back (or discarded).
    const pool = stack.db.database.poolStats();
    expect(pool.total - pool.idle, 'connections still checked out').toBe(0);
  }, 120_000);
});
