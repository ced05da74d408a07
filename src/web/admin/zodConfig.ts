/**
 * Zod probes whether it may generate code (new Function) when it builds its first object schema, to parse
 * faster. Our CSP refuses eval, so the probe is reported as a CSP violation on every page that loads the API
 * contract. Turn it off before any schema is built: parsing is the same, without code generation.
 *
 * Zod keeps its configuration on globalThis.__zod_globalConfig and adopts an object already there (so copies
 * of zod share it); setting it here, in the entry bundle, runs before any lazily loaded page loads zod, and
 * keeps zod itself out of the entry. Same effect as z.config({ jitless: true }).
 */
const holder = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
holder.__zod_globalConfig ??= {};
holder.__zod_globalConfig.jitless = true;
