/**
 * Control characters in requests (issue 12 §2): where a value holds one, and how to put one into a valid value.
 * Whatever a route's schema says, a request carrying one must be refused naming the field.
 */

/** C0 controls but tab, line feed and carriage return: what no request may carry in any string (nor key). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * The fields of a value that hold a control character (null: none). Whatever a schema says, such a request must
 * be refused naming them: PostgreSQL cannot store NUL, and no client has a reason to send the others.
 */
export function controlFields(
  value: unknown,
  context: 'body' | 'query' | 'path',
  path: string[] = [],
): string[] | null {
  const found: string[] = [];
  const walk = (v: unknown, at: string[]) => {
    if (typeof v === 'string') {
      if (CONTROL_RE.test(v)) found.push([context, ...at].join('.'));
    } else if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) walk(item, [...at, String(i)]);
    } else if (v && typeof v === 'object')
      for (const [key, item] of Object.entries(v))
        if (CONTROL_RE.test(key)) found.push([context, ...at, key].join('.'));
        else walk(item, [...at, key]);
  };
  walk(value, path);
  return found.length > 0 ? found : null;
}

/** Every path to a string in a value (where a control character can be put). */
export function stringPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringPaths(item, [...at, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...at, key]));
  return [];
}

/** A copy of a value with `insert` put into the middle of the string at `path`. */
export function withInserted(value: unknown, path: (string | number)[], insert: string): unknown {
  if (path.length === 0) {
    // Inside the text, never at its ends, where a trimming field would just drop a control that is whitespace.
    const text = String(value).length < 2 ? `x${String(value)}x` : String(value);
    const middle = Math.floor(text.length / 2);
    return `${text.slice(0, middle)}${insert}${text.slice(middle)}`;
  }
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value))
    return value.map((item, i) => (i === head ? withInserted(item, rest, insert) : item));
  const copy = { ...(value as Record<string, unknown>) };
  copy[head] = withInserted(copy[head], rest, insert);
  return copy;
}
