import { spawnSync } from 'node:child_process';

/**
 * promtool (Debian package `prometheus`) checks metric expositions and unit-tests alert rules. CI installs it
 * and sets REQUIRE_PROMTOOL=1, so a missing promtool fails there; on a developer machine without it the
 * promtool tests are skipped with a note (`apt-get install -y prometheus` to run them).
 */
const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
export const promtoolAvailable = found.status === 0;
export const promtoolRequired = process.env.REQUIRE_PROMTOOL === '1';
/** Whether promtool tests should run (they fail loudly when required but missing). */
export const runPromtoolTests = promtoolAvailable || promtoolRequired;
if (!runPromtoolTests)
  console.warn('promtool not found: skipping promtool checks (apt-get install -y prometheus to run them)');

export interface PromtoolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run promtool with these arguments (and optional standard input); never throws on a non-zero exit. */
export function promtool(args: string[], input?: string): PromtoolResult {
  const run = spawnSync('promtool', args, { encoding: 'utf8', input, timeout: 60_000 });
  if (run.error)
    throw new Error(`promtool could not run (${run.error.message}); apt-get install -y prometheus`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
