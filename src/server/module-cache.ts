import { lstatSync, mkdirSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installResolveShortcuts } from './module-resolve.ts';

/**
 * Start-up module loading (docs/performance.md, cold start). The entry points (main.ts, bi.ts) call
 * prepareModuleLoading() before they import the rest of the app with a dynamic import(), so both aids apply to the
 * whole module graph:
 *
 * 1. Faster module resolution: module-resolve.ts.
 * 2. Node's compile cache (module.enableCompileCache) keeps the V8 code cache and the type-stripped source of
 *    every module on disk, so the next start skips most parsing, compiling and type stripping (the first start
 *    of a new container pays them and writes the cache). The directory is NODE_COMPILE_CACHE when set (Node's
 *    own variable), else builder-insights-<uid>/compile-cache under the temporary directory (a pod's /tmp
 *    volume): only a directory this user owns and no one else can write is used, since the cache holds code
 *    that will run. NODE_DISABLE_COMPILE_CACHE=1 turns it off. Entries are keyed by a hash of each source file
 *    and the Node version, so changed code is never served from the cache.
 */

/** A directory owned by this user that no one else may write, created if missing; null when unsafe. */
function privateDirectory(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    const uid = process.getuid?.();
    if (!stat.isDirectory() || uid === undefined || stat.uid !== uid || (stat.mode & 0o022) !== 0)
      return null;
    return dir;
  } catch {
    return null;
  }
}

/**
 * Turn on Node's compile cache (see above). Returns the directory in use, or null. Node's own variables decide
 * first, before this runs: with NODE_COMPILE_CACHE set the cache is already on there (status ALREADY_ENABLED),
 * with NODE_DISABLE_COMPILE_CACHE=1 Node refuses (status DISABLED). This reads no environment itself: it runs
 * before the configuration module loads, and config.ts stays the only reader of the environment.
 */
export function enableCompileCache(): string | null {
  const base = privateDirectory(path.join(tmpdir(), `builder-insights-${process.getuid?.() ?? 'user'}`));
  // No safe directory: no cache (never Node's shared default under the temporary directory).
  if (base === null) return null;
  const result = module.enableCompileCache(path.join(base, 'compile-cache'));
  const { ENABLED, ALREADY_ENABLED } = module.constants.compileCacheStatus;
  return result.status === ENABLED || result.status === ALREADY_ENABLED ? (result.directory ?? null) : null;
}

/** Write what this process compiled to the compile cache now (after start-up), not only at exit. */
export function flushCompileCache(): void {
  module.flushCompileCache?.();
}

/** Both start-up aids, for an entry point to call before it imports the app. */
export function prepareModuleLoading(): void {
  installResolveShortcuts();
  enableCompileCache();
}
