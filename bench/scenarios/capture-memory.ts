import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { CookieJar } from '../../test/helpers/http.ts';
import { freePort, type TestStack } from '../../test/helpers/stack.ts';
import type { Scenario } from '../harness.ts';
import {
  type Capturer,
  Client,
  captureBody,
  closedLoop,
  resetRateLimits,
  serverEnv,
  signInCapturers,
  sleep,
  spawnNode,
  waitFor200,
} from '../support/load.ts';

/**
 * Resident memory of the real server process (`node src/server/main.ts`) under a sustained capture load, read
 * the way Prometheus reads it: `process_resident_memory_bytes` on the internal metrics port, sampled every
 * 500 ms during the load and once after it; the peak counts. Baseline: the same process idle after start (1 s
 * after /readyz first answered 200), before anyone signs in.
 */

const CONCURRENCY = 16;
const MB = 1024 * 1024;

function scrapeRss(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}/metrics`, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const match = /^process_resident_memory_bytes(?:\{[^}]*\})?\s+(\S+)/m.exec(text);
          if (!match?.[1])
            reject(new Error(`no process_resident_memory_bytes in /metrics:\n${text.slice(0, 500)}`));
          else resolve(Number(match[1]));
        });
      })
      .on('error', reject);
  });
}

export const captureMemory: Scenario = {
  name: 'capture-memory',
  description:
    'resident memory of the server process under a sustained capture load (peak), vs idle after start',
  target: { kind: 'absolute_max', value: 250, unit: 'MB', note: 'RSS under capture load' },
  async run(context) {
    const postgres = context.database === 'postgres';
    const testDb = postgres ? await createTestDatabase() : null;
    const dataDir = postgres ? null : mkdtempSync(path.join(tmpdir(), 'bi-bench-mem-'));
    const metricsPort = await freePort();
    const { env, port } = await serverEnv(testDb?.url ? { url: testDb.url } : { dataDir: dataDir ?? '' }, {
      METRICS_PORT: String(metricsPort),
    });
    const proc = spawnNode(['src/server/main.ts'], env, port);
    const client = new Client(`http://127.0.0.1:${port}`);
    try {
      await waitFor200(`http://127.0.0.1:${port}/readyz`, proc);
      await sleep(1000);
      const idle = await scrapeRss(metricsPort);
      const stack = {
        baseUrl: `http://127.0.0.1:${port}`,
        idp: { issuer: `http://127.0.0.1:${env.DEV_IDP_PORT}` },
        newJar: () => new CookieJar(),
      } as unknown as TestStack;
      const capturers = await signInCapturers(stack, null);
      // Sustained load in chunks inside one rate-limit window each (10 people × 120 writes a minute); the
      // PostgreSQL windows are cleared between chunks. PGlite's store lives in the server's memory: one chunk.
      const chunk = context.smoke ? 500 : postgres ? 1000 : 1100;
      const chunks = context.smoke || !postgres ? 1 : 5;
      const samples: number[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          samples.push(await scrapeRss(metricsPort));
          await sleep(500);
        }
      })();
      const started = performance.now();
      let sent = 0;
      for (let c = 0; c < chunks; c += 1) {
        if (testDb) await resetRateLimits(testDb.database.db);
        const result = await closedLoop(
          chunk,
          CONCURRENCY,
          (i) => {
            const who = capturers[i % capturers.length] as Capturer;
            return client.request('POST', '/api/v1/insights', JSON.stringify(captureBody(i)), who.headers);
          },
          (answer) => answer.status === 201,
        );
        if (result.failures > 0)
          throw new Error(`${result.failures} capture(s) failed, first: ${result.firstFailure}`);
        sent += chunk;
      }
      const seconds = (performance.now() - started) / 1000;
      sampling = false;
      await sampler;
      samples.push(await scrapeRss(metricsPort));
      const peak = Math.max(...samples);
      const after = samples.at(-1) ?? peak;
      context.log(
        `idle ${(idle / MB).toFixed(1)} MB; under load peak ${(peak / MB).toFixed(1)} MB, after ${(after / MB).toFixed(1)} MB ` +
          `(${sent} captures in ${seconds.toFixed(1)} s, ${(sent / seconds).toFixed(0)} req/s, ${samples.length} samples)`,
      );
      return {
        ours: peak / MB,
        baseline: idle / MB,
        unit: 'MB',
        details:
          `peak RSS of node src/server/main.ts over ${sent} captures at ${CONCURRENCY} in flight (${seconds.toFixed(0)} s) ` +
          `vs the same process idle after start` +
          (postgres ? '' : '; PGlite runs inside the process (its WebAssembly heap counts)'),
      };
    } finally {
      client.close();
      await proc.stop();
      await testDb?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
