import { runCli } from '../../src/cli/bi.ts';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Run `bi <args>` in-process with this environment (read when called), collecting standard output and error. */
export function cliRunner(env: () => Record<string, string>) {
  return async (...args: string[]): Promise<CliResult> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      args,
      (l) => out.push(l),
      (l) => err.push(l),
      env(),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}
