import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Faster module resolution at start-up (docs/performance.md, cold start), as a resolve hook
 * (module.registerHooks) that the entry points install before importing the app. It answers two kinds of
 * requests itself and hands every other one to Node's resolver unchanged:
 *
 * 1. A bare specifier (`drizzle-orm`, `zod`…) imported from this repository's own files. Node resolves it anew
 *    in each of the ~130 files that import it, and each time parses the package's `exports` map again: for
 *    drizzle-orm, 180 KB of JSON per import. Every file of this repository outside node_modules shares one
 *    package scope (package.json) and one node_modules lookup, so the first answer is reused for the same
 *    specifier, conditions and import attributes.
 * 2. A relative `./x.js` / `../x.mjs` import between files of an installed package (`import` condition). For
 *    each one Node looks up the file's package scope to learn its format and, doing so, parses that package's
 *    whole package.json again (drizzle-orm: ~110 modules). Here the answer is built the way Node's resolver
 *    builds it (the target URL, the file must exist and be a regular file, its real path, its format from the
 *    nearest package.json's `type`), with that `type` read once per package.json. When any of these is not plain
 *    (a symlink, no explicit `type`, a missing file, query strings…), Node answers instead, errors included.
 *
 * Together: about 0.5 s of CPU and ~90 MB of transient garbage less per start. `verify` (tests) also asks Node
 * for every answer given here and records any difference.
 */

type ResolveResult = ReturnType<Parameters<NonNullable<module.RegisterHooksOptions['resolve']>>[2]>;

export interface ResolveStats {
  /** Bare specifiers answered from the memo. */
  memo: number;
  /** Relative imports inside packages answered here. */
  local: number;
  /** verify: answers that differ from Node's (`specifier from parent: ours ≠ node's`). */
  mismatches: string[];
}

const ROOT = `${pathToFileURL(path.resolve(import.meta.dirname, '../..')).href}/`;
const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

function isBare(specifier: string): boolean {
  return !(
    specifier.startsWith('.') ||
    specifier.startsWith('/') ||
    specifier.startsWith('#') ||
    SCHEME.test(specifier)
  );
}

/** The `type` ('module' | 'commonjs') of the package scope of a directory, null when not explicit. */
const scopeTypes = new Map<string, 'module' | 'commonjs' | null>();
function scopeType(dir: string): 'module' | 'commonjs' | null {
  const known = scopeTypes.get(dir);
  if (known !== undefined) return known;
  let type: 'module' | 'commonjs' | null = null;
  const manifest = path.join(dir, 'package.json');
  // Node's package scope lookup stops below a node_modules directory and at the root.
  if (path.basename(dir) === 'node_modules' || path.dirname(dir) === dir) type = null;
  else if (existsSync(manifest)) {
    const value = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
    type = value === 'module' || value === 'commonjs' ? value : null;
  } else type = scopeType(path.dirname(dir));
  scopeTypes.set(dir, type);
  return type;
}

/** A relative import between two files of an installed package, answered as Node would; null: ask Node. */
function resolveInPackage(specifier: string, parentURL: string): ResolveResult | null {
  if (!/^\.\.?\/[^?#%\\]*\.m?js$/.test(specifier)) return null;
  const file = fileURLToPath(new URL(specifier, parentURL));
  try {
    if (realpathSync.native(file) !== file || !statSync(file).isFile()) return null;
  } catch {
    return null; // missing: Node's resolver reports it
  }
  const format = file.endsWith('.mjs') ? 'module' : scopeType(path.dirname(file));
  if (!format) return null;
  return { url: pathToFileURL(file).href, format, shortCircuit: true };
}

let stats: ResolveStats | null = null;

/** Install the hook (once per process). Returns its counters, or null where module hooks do not exist. */
export function installResolveShortcuts(options: { verify?: boolean } = {}): ResolveStats | null {
  if (stats) return stats;
  if (typeof module.registerHooks !== 'function') return null;
  const counters: ResolveStats = { memo: 0, local: 0, mismatches: [] };
  const memo = new Map<string, ResolveResult>();
  const check = (
    specifier: string,
    context: module.ResolveHookContext,
    ours: ResolveResult,
    node: ResolveResult,
  ) => {
    if (ours.url !== node.url || ours.format !== node.format)
      counters.mismatches.push(
        `${specifier} from ${context.parentURL}: ${ours.url} (${ours.format}) ≠ ${node.url} (${node.format})`,
      );
  };
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (!parent?.startsWith('file:')) return nextResolve(specifier, context);
      if (parent.includes('/node_modules/')) {
        const ours = context.conditions.includes('import') ? resolveInPackage(specifier, parent) : null;
        if (!ours) return nextResolve(specifier, context);
        counters.local += 1;
        if (options.verify) check(specifier, context, ours, nextResolve(specifier, context));
        return ours;
      }
      if (!parent.startsWith(ROOT) || !isBare(specifier)) return nextResolve(specifier, context);
      const key = `${specifier}\0${context.conditions.join(',')}\0${context.importAttributes.type ?? ''}`;
      const known = memo.get(key);
      if (known) {
        counters.memo += 1;
        if (options.verify) check(specifier, context, known, nextResolve(specifier, context));
        return known;
      }
      const resolved = nextResolve(specifier, context);
      memo.set(key, { ...resolved, shortCircuit: true });
      return resolved;
    },
  });
  stats = counters;
  return counters;
}
