import { prepareModuleLoading } from '../server/module-cache.ts';

/**
 * `bi` — the operator CLI (npm run bi -- <command>) and the container image's entry point (`bi serve`). The
 * commands live in commands.ts, imported on first use: run as a program, module loading is prepared first
 * (server/module-cache.ts) so that it applies to every module the command loads. Exit codes: 0 ok, 1 the check or
 * action failed, 2 usage, 75 data dir locked, 78 configuration invalid.
 */

type Out = (line: string) => void;

/** `env` is for tests; the CLI itself lets config.ts read the process environment. */
export async function runCli(argv: string[], out: Out, err: Out, env?: NodeJS.ProcessEnv): Promise<number> {
  const commands = await import('./commands.ts');
  return commands.runCli(argv, out, err, env);
}

if (import.meta.main) {
  prepareModuleLoading();
  const [{ ConfigError }, { DataDirLockedError }] = await Promise.all([
    import('../server/config.ts'),
    import('../server/db/client.ts'),
  ]);
  runCli(process.argv.slice(2), console.log, console.error)
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      if (e instanceof ConfigError || e instanceof DataDirLockedError) {
        console.error(e.message);
        process.exit(e instanceof ConfigError ? 78 : 75);
      }
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
