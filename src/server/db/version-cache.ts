import type { Db } from './client.ts';

/**
 * Parsed versions of an immutable, versioned document (claims model, entitlement rules), cached per database for
 * the life of the process. Per database: tests run several databases in one process, each with its own
 * version 1. Safe because a version never changes once written; a new version is a new key.
 */
export function versionCache<T>(parse: (raw: unknown) => T) {
  const byDb = new WeakMap<Db, Map<number, T>>();
  return {
    get(db: Db, version: number): T | undefined {
      return byDb.get(db)?.get(version);
    },
    of(db: Db, version: number, raw: unknown): T {
      let cache = byDb.get(db);
      if (!cache) {
        cache = new Map();
        byDb.set(db, cache);
      }
      let value = cache.get(version);
      if (value === undefined) {
        value = parse(raw);
        cache.set(version, value);
      }
      return value;
    },
  };
}
