import type { Config } from '../server/config.ts';
import { flushCompileCache } from '../server/module-cache.ts';
import { startServer } from '../server/server.ts';

export const SERVE_HELP =
  '  serve            Run the HTTP server in the foreground (the container default); SIGTERM drains and exits 0.\n';

/**
 * `bi serve`: the `api` process role, the same server as `node src/server/main.ts`. Resolves with exit code 0
 * once a SIGTERM or SIGINT has drained requests and closed everything (docs/operations/shutdown.md).
 */
export async function runServe(config: Config): Promise<number> {
  const server = await startServer(config);
  // The compile cache (server/module-cache.ts) is written now that start-up compiled everything.
  flushCompileCache();
  await server.stopped;
  return 0;
}
