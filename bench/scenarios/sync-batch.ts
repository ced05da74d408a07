import { performance } from 'node:perf_hooks';
import { LIMITS } from '../../src/contract/limits.ts';
import { insights } from '../../src/server/db/schema.ts';
import { startStack } from '../../test/helpers/stack.ts';
import type { Scenario } from '../harness.ts';
import { insightRow } from '../support/bare.ts';
import { Client, captureBody, median, signInCapturers } from '../support/load.ts';

/**
 * Offline sync: an advocate's queue of captures sent through POST /api/v1/insights/batch the way the capture
 * app's outbox does — batches of LIMITS.syncBatchMax items, one after another, each answered before the next.
 * Baseline in the same run and database: one raw multi-row INSERT of the same number of rows (same columns).
 * Each round uses fresh ids; rounds alternate ours and baseline, and the median round counts.
 */
export const syncBatch: Scenario = {
  name: 'sync-batch',
  description: `1,000 queued captures through POST /api/v1/insights/batch (${LIMITS.syncBatchMax} per request) vs one multi-row INSERT`,
  target: { kind: 'ratio_max', value: 2 },
  async run(context) {
    const items = context.smoke ? 200 : 1000;
    const rounds = context.smoke ? 1 : 3;
    const stack = await startStack();
    const db = stack.db.database.db;
    const client = new Client(stack.baseUrl, 1);
    try {
      const [ari] = await signInCapturers(stack, db, ['Ari']);
      if (!ari) throw new Error('no session');
      const sync = async (queue: ReturnType<typeof captureBody>[]) => {
        for (let start = 0; start < queue.length; start += LIMITS.syncBatchMax) {
          const body = JSON.stringify({ items: queue.slice(start, start + LIMITS.syncBatchMax) });
          const answer = await client.request('POST', '/api/v1/insights/batch', body, ari.headers);
          if (answer.status !== 200)
            throw new Error(`batch → ${answer.status}: ${answer.body.slice(0, 300)}`);
          const results = (JSON.parse(answer.body) as { results: { status: string }[] }).results;
          const bad = results.find((r) => r.status !== 'created');
          if (bad) throw new Error(`batch item not created: ${JSON.stringify(bad).slice(0, 300)}`);
        }
      };
      const raw = async (queue: ReturnType<typeof captureBody>[]) => {
        const now = new Date();
        await db.insert(insights).values(queue.map((body) => insightRow(body, ari.personId, now)));
      };
      const queueOf = (n: number) => Array.from({ length: n }, (_, i) => captureBody(i));
      // Warm-up: one batch each way.
      await sync(queueOf(LIMITS.syncBatchMax));
      await raw(queueOf(LIMITS.syncBatchMax));

      const ours: number[] = [];
      const baseline: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        const [a, b] = [queueOf(items), queueOf(items)];
        let t0 = performance.now();
        await sync(a);
        ours.push(performance.now() - t0);
        t0 = performance.now();
        await raw(b);
        baseline.push(performance.now() - t0);
      }
      const oursMs = median(ours);
      const baseMs = median(baseline);
      context.log(
        `batch sync rounds ${ours.map((ms) => ms.toFixed(0)).join(', ')} ms (${(oursMs / items).toFixed(2)} ms/item); ` +
          `multi-row INSERT rounds ${baseline.map((ms) => ms.toFixed(0)).join(', ')} ms`,
      );
      return {
        ours: oursMs,
        baseline: baseMs,
        unit: 'ms',
        details:
          `${items} captures in ${Math.ceil(items / LIMITS.syncBatchMax)} sequential batches (median of ${rounds}) ` +
          `vs one ${items}-row INSERT; ${(oursMs / items).toFixed(2)} ms per item (each batch one ` +
          'transaction: multi-row insert plus the hash-chained audit events of the new rows)',
      };
    } finally {
      client.close();
      await stack.close();
    }
  },
};
