import { flushCompileCache, prepareModuleLoading } from './module-cache.ts';

/**
 * Entry point of the `api` process role (`npm start`, `node src/server/main.ts`); `bi serve` runs the same
 * server. Scheduled jobs and migrations run through the CLI (`bi jobs run <name>`, `bi migrate`).
 *
 * Module loading is prepared first (module-cache.ts); the app is then imported dynamically, so that applies to
 * every module it loads.
 */
prepareModuleLoading();
const [{ ConfigError, loadConfig }, { DataDirLockedError }, { startServer }] = await Promise.all([
  import('./config.ts'),
  import('./db/client.ts'),
  import('./server.ts'),
]);

async function main(role = process.argv[2] ?? 'api') {
  if (role !== 'api') throw new Error(`Unknown process role "${role}". Known roles: api.`);
  const server = await startServer(loadConfig());
  // The compile cache is written now that start-up has compiled everything, not only at a clean exit.
  flushCompileCache();
  // SIGTERM or SIGINT: server.ts drains and closes everything, then the process exits 0.
  await server.stopped;
  process.exit(0);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(`\n${err.message}\n`);
    process.exit(err instanceof ConfigError ? 78 : 75);
  }
  console.error('Builder Insights failed to start:', err);
  process.exit(1);
});
