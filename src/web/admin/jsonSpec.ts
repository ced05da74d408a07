import type { z } from 'zod';

/** JSON with object keys sorted: two documents compare equal whatever order their keys were written in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

export type ParsedJson<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Editor text → a document checked against the same zod schema the server uses, or readable problems
 * ("rules.0.id: must look like R1, R2, …"); `root` names the document when an issue has no path.
 */
export function parseJsonSpec<T>(text: string, schema: z.ZodType<T>, root: string): ParsedJson<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  const result = schema.safeParse(parsed);
  if (!result.success)
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${issue.path.join('.') || root}: ${issue.message}`),
    };
  return { ok: true, value: result.data };
}
