import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';

/**
 * What `.ci/run` prints at the end of its log, where a truncated log still shows it (the file names come from
 * the environment; without them this reporter does nothing, so a local `npm test` is unchanged):
 * - CI_FLAKY_REPORT: tests that failed once and passed on their retry (vitest `retry`, only when CI_RETRY is
 *   set). Flaky is not green: fix a listed test, do not live with it.
 * - CI_FAILURE_REPORT: every failed test, every test file that failed outside a test (a hook, an import), and
 *   every unhandled error or rejection with the file and test it happened in. Vitest fails a run on an
 *   unhandled error without failing any test, so without this line such a run would be anonymous.
 */
const firstLines = (text: string | undefined, lines = 3): string =>
  (text ?? '').split('\n', lines).join(' | ').slice(0, 400);
const where = (path: string | undefined): string => (path ? relative(process.cwd(), path) : 'unknown file');
/** The line of the test file an error points at (`file.ts:42`), so a failure names its assertion. */
const lineIn = (
  moduleId: string,
  error: { stack?: string; stacks?: { file: string; line: number }[] } | undefined,
): string => {
  const frame = error?.stacks?.find((f) => f.file === moduleId);
  if (frame) return ` [${relative(process.cwd(), moduleId)}:${frame.line}]`;
  const file = relative(process.cwd(), moduleId);
  const at = error?.stack
    ?.split('\n')
    .find((line) => line.includes(file))
    ?.match(/:(\d+):\d+\)?\s*$/);
  return at ? ` [${file}:${at[1]}]` : '';
};

export default class CiReporter implements Reporter {
  onTestCaseResult(testCase: TestCase): void {
    const file = process.env.CI_FLAKY_REPORT;
    const diagnostic = testCase.diagnostic();
    if (!file || !diagnostic?.flaky) return;
    const error = testCase.result().errors?.[0];
    const first = firstLines(error?.message);
    appendFileSync(
      file,
      `${where(testCase.module.moduleId)} > ${testCase.fullName} (passed on retry ${diagnostic.retryCount})${first ? `: ${first}` : ''}${lineIn(testCase.module.moduleId, error)}\n`,
    );
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    const file = process.env.CI_FAILURE_REPORT;
    if (!file) return;
    const lines: string[] = [];
    for (const module of testModules) {
      for (const error of module.errors())
        lines.push(`${where(module.moduleId)} (outside a test): ${firstLines(error.message)}`);
      for (const testCase of module.children.allTests('failed')) {
        const error = testCase.result().errors?.[0];
        lines.push(
          `${where(module.moduleId)} > ${testCase.fullName}: ${firstLines(error?.message)}${lineIn(module.moduleId, error)}`,
        );
      }
    }
    for (const error of unhandledErrors) {
      const detail = error as SerializedError & { VITEST_TEST_PATH?: string; VITEST_TEST_NAME?: string };
      const test = detail.VITEST_TEST_NAME ? ` > ${detail.VITEST_TEST_NAME}` : '';
      const stack = firstLines(error.stack ?? error.message, 4);
      lines.push(`unhandled error in ${where(detail.VITEST_TEST_PATH)}${test}: ${stack}`);
    }
    if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
  }
}
