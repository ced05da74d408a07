import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, openDatabase } from '../../src/server/db/client.ts';
import { freePort } from '../helpers/stack.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
function tempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'bi-lock-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Start the real server process on the embedded database (never DATABASE_URL: the lock is PGlite's). */
async function startServer(dataDir: string) {
  const [port, idpPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['src/server/main.ts'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DEV_IDP_PORT: String(idpPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'off',
      // The shortest grace keeps the drain delay (a fifth of it) to 1 s.
      SHUTDOWN_GRACE_MS: '5000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, port, exit, output: () => output };
}

async function waitForHealth(
  server: { port: number; child: ChildProcess; output: () => string },
  timeoutMs = 90_000,
) {
  const { port } = server;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null)
      throw new Error(`server exited with ${server.child.exitCode} before it was ready:\n${server.output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become ready in ${timeoutMs} ms:\n${server.output()}`);
}

describe('embedded database lock', () => {
  it('refuses a second opener of the same data dir with a clear error, and frees it on close', async () => {
    const dir = tempDir();
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    const second = openDatabase({ kind: 'pglite', dataDir: dir });
    await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(second).rejects.toThrow(/already using the data directory/);
    await first.close();
    const third = await openDatabase({ kind: 'pglite', dataDir: dir });
    await third.close();
  });

  it('a second server process on the same data dir exits with a clear message; the first keeps serving', async () => {
    const dir = tempDir();
    const first = await startServer(dir);
    await waitForHealth(first);
    const second = await startServer(dir);
    expect(await second.exit).toBe(75);
    expect(second.output()).toMatch(/Another Builder Insights process is already using the data directory/);
    expect(second.output()).toMatch(/set DATA_DIR to a different directory/);
    expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);

    // SIGTERM drains and exits cleanly, releasing the lock for the next start.
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    const again = await openDatabase({ kind: 'pglite', dataDir: dir });
    await again.close();
  }, 150_000); // two real server processes starting (migrations, demo data) on a busy 2-core machine
});
