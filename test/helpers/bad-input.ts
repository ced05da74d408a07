import fc from 'fast-check';
import { z } from 'zod';

/**
 * fast-check arbitraries of bad requests, built from a route's own zod schema (walked as the JSON Schema
 * `z.toJSONSchema` gives). `validValue` makes plausible values (whose strings are full of injection and unicode
 * edge cases a field should store as written); `badValue` breaks one thing in them: a wrong type, a missing
 * required field, an unknown field, a string or array over its bound, a number out of range, a control
 * character, a value outside an enum, format or pattern. Whether a value is really bad is the schema's call:
 * `refusal` parses it as the server will and says which fields the answer must name.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema documents are open
export type Json = any;

export const INJECTION = [
  "' OR 1=1 --",
  "'; DROP TABLE insights; --",
  '{"__proto__":{"admin":true}}',
  'constructor.prototype',
  '__proto__',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, sent as text
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
  '=HYPERLINK("http://evil","x")',
] as const;

/** Unicode a field must store as written (or refuse cleanly): never a 5xx. */
export const UNICODE = [
  '\u202Eevil\u202C',
  'zero\u200Bwidth\u200D\uFEFF',
  '😀👍🏽👨‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0301\u0301\u0308\u0327',
  '\ud800 lone high',
  'lone low \udfff',
  '\uFFFF\uFFFE',
  '𝕏𝔂𝔃',
  'Ã¤ mojibake',
  'tab\there\nnew line\r',
] as const;

/** Control characters no text field accepts (PostgreSQL refuses NUL in text altogether). */
export const CONTROL = ['\u0000', 'a\u0000b', 'bell\u0007', 'esc\u001B[31m', '\u000B\u000C\u001F'] as const;

/** Path parameter values that are not what any route expects. */
export const BAD_PARAMS = [
  '12345678-1234-1234-1234-1234567890ag',
  '123e4567-e89b-12d3-a456-42661417400',
  'x'.repeat(201),
  '0',
  '-1',
  '99999999999999999999',
  '1.5',
  'NaN',
  ...INJECTION,
  '%00',
  '\u0000',
  '..%2F..%2Fetc%2Fpasswd',
  '%C0%AF',
  '%ED%A0%80',
] as const;

export const MEGABYTE_STRING = 'x'.repeat(1_048_577);

const WRONG_TYPE: Record<string, unknown[]> = {
  string: [123, -1.5, true, null, [], {}, ['a']],
  number: ['1', 'NaN', '1e309', 'Infinity', '', true, null, [], {}],
  integer: ['1', 1.5, 'NaN', 2 ** 53 + 2, -(2 ** 53) - 2, true, null, [], {}],
  boolean: ['true', 1, 0, 'yes', null, [], {}],
  array: [{}, 'a', 1, null, true, { 0: 'a', length: 1 }],
  object: [[], 'a', 1, null, true],
  null: ['null', 0, false, {}],
};

const EXTRA_KEYS = ['isAdmin', 'role', 'constructor', 'prototype', '$where', 'personId', 'zz_unknown'];

/** Resolves `$ref`s into the root's `$defs`. */
function resolve(root: Json, node: Json): Json {
  if (node && typeof node.$ref === 'string') {
    const name = node.$ref.replace(/^#\/(\$defs|definitions)\//, '');
    return resolve(root, root.$defs?.[name] ?? root.definitions?.[name] ?? {});
  }
  return node ?? {};
}

const typesOf = (node: Json): string[] =>
  Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];

/** Plausible values of a node (strings from the nasty lists when the node allows free text). */
export function validValue(root: Json, input: Json, depth = 0): fc.Arbitrary<unknown> {
  const node = resolve(root, input);
  if ('const' in node) return fc.constant(node.const);
  if (Array.isArray(node.enum)) return fc.constantFrom(...node.enum);
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches) && branches.length > 0)
    return fc.oneof(...branches.map((b: Json) => validValue(root, b, depth + 1)));
  if (Array.isArray(node.allOf) && node.allOf.length > 0) return validValue(root, node.allOf[0], depth + 1);
  const type = typesOf(node)[0];
  switch (type) {
    case 'string':
      return validString(node);
    case 'integer':
    case 'number': {
      const min = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : 0);
      const max = node.maximum ?? (node.exclusiveMaximum !== undefined ? node.exclusiveMaximum - 1 : 1000);
      return fc.integer({
        min: Math.ceil(min),
        max: Math.max(Math.ceil(min), Math.min(Math.floor(max), 2 ** 31)),
      });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 6) return fc.constant([]);
      const min = node.minItems ?? 0;
      return fc.array(validValue(root, node.items ?? {}, depth + 1), {
        minLength: min,
        maxLength: Math.max(min, Math.min(node.maxItems ?? 3, 3)),
      });
    }
    case 'object':
      return validObject(root, node, depth);
    default:
      return fc.constantFrom<unknown>('x', 1, true);
  }
}

function validString(node: Json): fc.Arbitrary<string> {
  switch (node.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'date-time':
      return fc.constant(new Date(Date.now() - 60_000).toISOString());
    case 'date':
      return fc.constant(new Date().toISOString().slice(0, 10));
    case 'email':
      return fc.constantFrom('dev@example.com', "o'brien+tag@example.org");
    case 'uri':
      return fc.constantFrom('https://example.com/a?b=c', 'https://example.com/<script>');
  }
  if (typeof node.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(node.pattern), { size: 'xsmall' });
    } catch {
      return fc.constant('x');
    }
  }
  const min = node.minLength ?? 0;
  const max = node.maxLength ?? 10_000;
  const fits = (s: string) => s.length >= min && s.length <= max;
  const nasty = [...INJECTION, ...UNICODE].filter(fits);
  const plain = fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 20)), unit: 'grapheme' });
  return nasty.length > 0 ? fc.oneof(fc.constantFrom(...nasty), plain) : plain;
}

function validObject(root: Json, node: Json, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Json> = node.properties ?? {};
  const required = new Set<string>(node.required ?? []);
  if (depth > 6) return fc.constant({});
  const model = Object.fromEntries(
    Object.entries(properties).map(([key, sub]) => [key, validValue(root, sub, depth + 1)]),
  );
  const known = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
  const extra = node.additionalProperties;
  if (!extra || typeof extra !== 'object' || Object.keys(properties).length > 0) return known;
  // A record (z.record): a few keys of the key schema, values of the value schema.
  const keyNode = node.propertyNames ?? { type: 'string', maxLength: 40 };
  const keys = keyNode.enum
    ? fc.constantFrom<string>(...keyNode.enum)
    : validString({ ...keyNode, minLength: 1 });
  return fc.dictionary(keys, validValue(root, extra, depth + 1), { maxKeys: 3 });
}

/** A bad value for this node: one thing broken, the rest plausible. */
export function badValue(root: Json, input: Json, depth = 0): fc.Arbitrary<unknown> {
  const node = resolve(root, input);
  const types = typesOf(node);
  const wrongType = fc.constantFrom<unknown>(
    ...Object.entries(WRONG_TYPE)
      .filter(([t]) => !types.includes(t) && !(t === 'number' && types.includes('integer')))
      .flatMap(([, values]) => values),
  );
  const options: fc.Arbitrary<unknown>[] = [wrongType];
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches) && branches.length > 0)
    options.push(...branches.map((b: Json) => badValue(root, b, depth + 1)));
  if (Array.isArray(node.enum) || 'const' in node)
    options.push(fc.constantFrom<unknown>(...INJECTION, ...CONTROL, 'NOT_A_VALUE', '', 'x'.repeat(201)));
  if (types.includes('string')) options.push(badString(node));
  if (types.includes('integer') || types.includes('number')) {
    const edges: unknown[] = [Number.MAX_SAFE_INTEGER * 4, -1e20, 1e20];
    if (node.minimum !== undefined) edges.push(node.minimum - 1, node.minimum - 0.5);
    if (node.maximum !== undefined) edges.push(node.maximum + 1);
    if (types.includes('integer')) edges.push(1.5, 0.1);
    options.push(fc.constantFrom(...edges));
  }
  if (types.includes('array') && depth < 6) options.push(badArray(root, node, depth));
  if (types.includes('object') && depth < 6) options.push(badObject(root, node, depth));
  return fc.oneof(...options);
}

function badString(node: Json): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    fc.constantFrom(...CONTROL),
    validString(node).map((s) => `${s.slice(0, 1)}\u0000${s.slice(1)}`),
  ];
  if (node.maxLength !== undefined && node.maxLength < 1_000_000)
    options.push(
      fc
        .constantFrom(...INJECTION, ...UNICODE, 'x')
        .map((s) => s.repeat(Math.ceil((node.maxLength + 1) / s.length))),
    );
  if (node.minLength) options.push(fc.constant(''), fc.constant(' '.repeat(node.minLength)));
  if (node.format || node.pattern || node.enum)
    options.push(fc.constantFrom(...INJECTION, ...UNICODE, 'not-a-value', 'x'.repeat(201)));
  return fc.oneof(...options);
}

function badArray(root: Json, node: Json, depth: number): fc.Arbitrary<unknown[]> {
  const item = validValue(root, node.items ?? {}, depth + 1);
  const options: fc.Arbitrary<unknown[]>[] = [
    fc
      .tuple(badValue(root, node.items ?? {}, depth + 1), fc.array(item, { maxLength: 2 }))
      .map(([bad, rest]) => [...rest, bad]),
  ];
  if (node.maxItems !== undefined && node.maxItems < 10_000)
    options.push(item.map((v) => Array.from({ length: node.maxItems + 1 }, () => v)));
  if (node.minItems) options.push(fc.constant([]));
  return fc.oneof(...options);
}

function badObject(root: Json, node: Json, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const base = validObject(root, node, depth);
  const properties: Record<string, Json> = node.properties ?? {};
  const names = Object.keys(properties);
  const required: string[] = node.required ?? [];
  const options: fc.Arbitrary<Record<string, unknown>>[] = [
    fc
      .tuple(base, fc.constantFrom(...EXTRA_KEYS), fc.constantFrom<unknown>(true, 'admin', ...INJECTION))
      .map(([value, key, extra]) => ({ ...value, [key]: extra })),
  ];
  if (required.length > 0)
    options.push(
      fc.tuple(base, fc.constantFrom(...required)).map(([value, key]) => {
        const copy = { ...value };
        delete copy[key];
        return copy;
      }),
    );
  if (names.length > 0)
    options.push(
      fc
        .constantFrom(...names)
        .chain((key) =>
          fc
            .tuple(base, badValue(root, properties[key], depth + 1))
            .map(([value, bad]) => ({ ...value, [key]: bad })),
        ),
    );
  return fc.oneof(...options);
}

/** The JSON Schema of a request part (input side, as a client sends it). */
export function jsonSchemaOf(schema: unknown): Json {
  return z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' });
}

/** A bad JSON body for this schema (whether it is bad enough is `refusal`'s call). */
export function badBody(schema: unknown): fc.Arbitrary<unknown> {
  const root = jsonSchemaOf(schema);
  return fc.oneof(
    { weight: 12, arbitrary: badValue(root, root) },
    { weight: 1, arbitrary: fc.constant({ padding: MEGABYTE_STRING }) },
  );
}

/**
 * A bad query string: one parameter with a wrong, overlong, out-of-range, control-character or injection value,
 * a repeated parameter, or an unknown one. Raw (already encoded) text, so invalid UTF-8 can be sent too.
 */
export function badQuery(schema: unknown): fc.Arbitrary<string> {
  const root = jsonSchemaOf(schema);
  const properties: Record<string, Json> = resolve(root, root).properties ?? {};
  const names = Object.keys(properties);
  const enc = (s: string) => encodeURIComponent(s.replaceAll(/[\ud800-\udfff]/g, '?'));
  const raw = fc.constantFrom('%00', '%C0%AF', '%ED%A0%80', '%FF%FE', 'a%', '%zz');
  const value = (node: Json) =>
    fc.oneof(
      fc
        .constantFrom(
          'abc',
          'NaN',
          '1e309',
          '-1',
          '1.5',
          '99999999999999999999',
          'true1',
          ...INJECTION,
          ...CONTROL,
          'x'.repeat(Math.max(201, (resolve(root, node).maxLength ?? 200) + 1)),
        )
        .map(enc),
      raw,
    );
  const unknown = fc.constantFrom(...EXTRA_KEYS).map((key) => `${enc(key)}=1`);
  if (names.length === 0) return unknown;
  return fc.oneof(
    unknown,
    fc.constantFrom(...names).chain((name) => value(properties[name]).map((v) => `${enc(name)}=${v}`)),
    fc.constantFrom(...names).map((name) => `${enc(name)}=a&${enc(name)}=b&${enc(name)}=c`),
  );
}

/** A value of a path parameter that is not what the route expects: not a uuid, 201 characters, injections. */
export const badParam = (): fc.Arbitrary<string> =>
  fc.constantFrom(...BAD_PARAMS).map((s) => (/%[0-9A-F]{2}/i.test(s) ? s : encodeURIComponent(s)));

/**
 * Parses a value with the route's schema as the server will. `null`: the schema accepts it. Otherwise the
 * field names the problem+json must give (`body.text`, `query.limit`, `path.id`), as errors.ts derives them.
 */
export function refusal(
  schema: unknown,
  value: unknown,
  context: 'body' | 'query' | 'path',
): string[] | null {
  let result: { success: boolean; error?: z.ZodError };
  try {
    result = (schema as z.ZodType).safeParse(value);
  } catch {
    return [];
  }
  if (result.success) return null;
  const fields = new Set<string>();
  for (const issue of result.error?.issues ?? []) {
    const base = [context, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) fields.add(`${base}.${key}`);
    else fields.add(base);
  }
  return [...fields];
}

/**
 * Whether the value at `path` is free text as far as the schema says: a string without format, pattern or enum
 * (where a control character is the only thing wrong), and not inside an unconstrained z.unknown (which the
 * service validates item by item, as the offline-sync batch does, answering per item).
 */
export function freeTextAt(root: Json, path: (string | number)[], input: Json = root): boolean {
  const node = resolve(root, input);
  const branches: Json[] | undefined = node.anyOf ?? node.oneOf;
  if (branches) return branches.some((b) => freeTextAt(root, path, b));
  if (Object.keys(node).filter((k) => !['$schema', 'description', 'default'].includes(k)).length === 0)
    return false;
  if (path.length === 0)
    return (
      typesOf(node).includes('string') && !node.format && !node.pattern && !node.enum && !('const' in node)
    );
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const next = typeof head === 'number' ? node.items : (node.properties?.[head] ?? node.additionalProperties);
  return typeof next === 'object' && next !== null && freeTextAt(root, rest, next);
}

/** The parsed body as the server sees it: JSON round trip (undefined dropped, NaN and Infinity become null). */
export const asSent = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');
