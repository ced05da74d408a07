import { type SQL, sql } from 'drizzle-orm';
import { type Filter, parse } from 'scim2-parse-filter';
import { ScimHttpError } from './scim.errors.ts';
import { URN } from './scim.schemas.ts';

/**
 * SCIM filters (RFC 7644 §3.4.2.2), parsed by scim2-parse-filter, translated into SQL over our columns: the
 * database does the filtering (and paging), never a scan in memory. Only the attributes a resource type maps
 * are filterable; anything else is 400 invalidFilter naming the attribute.
 */

type Compare = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le';
type CompValue = boolean | null | number | string;

/** How one attribute is filtered. `text_ci` compares case-insensitively (caseExact: false). */
export type FilterAttribute =
  | { kind: 'text' | 'text_ci'; column: SQL }
  | { kind: 'bool'; column: SQL }
  | { kind: 'uuid'; column: SQL }
  | { kind: 'datetime'; column: SQL }
  /** A multi-valued complex attribute: `from` … `on` yields one row per value, `sub` maps its parts. */
  | { kind: 'multi'; from: SQL; on: SQL; sub: Record<string, FilterAttribute>; defaultSub: string };

/** Attribute names as lower-case paths ("username", "name.givenname", "emails"). */
export type FilterAttributes = Record<string, FilterAttribute>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "urn:…:core:2.0:User:userName" → "username"; the enterprise extension's attributes keep a short prefix. */
export function normalizeAttrPath(path: string): string {
  const lower = path.trim().toLowerCase();
  for (const urn of [URN.user, URN.group]) {
    const prefix = `${urn.toLowerCase()}:`;
    if (lower.startsWith(prefix)) return lower.slice(prefix.length);
  }
  const enterprise = `${URN.enterprise.toLowerCase()}:`;
  if (lower.startsWith(enterprise)) return `enterprise:${lower.slice(enterprise.length)}`;
  return lower;
}

function invalid(detail: string): ScimHttpError {
  return new ScimHttpError(400, detail, 'invalidFilter');
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function textCompare(column: SQL, op: Compare | 'pr', value: CompValue, ci: boolean): SQL {
  if (op === 'pr') return sql`(${column} is not null and ${column} <> '')`;
  if (value === null) {
    if (op === 'eq') return sql`${column} is null`;
    if (op === 'ne') return sql`${column} is not null`;
    throw invalid(`"${op} null" is not a meaningful comparison.`);
  }
  const v = String(value);
  const left = ci ? sql`lower(${column})` : column;
  const right = ci ? v.toLowerCase() : v;
  switch (op) {
    case 'eq':
      return sql`${left} = ${right}`;
    case 'ne':
      return sql`${left} is distinct from ${right}`;
    case 'co':
      return sql`${left} like ${`%${escapeLike(right)}%`} escape '\\'`;
    case 'sw':
      return sql`${left} like ${`${escapeLike(right)}%`} escape '\\'`;
    case 'ew':
      return sql`${left} like ${`%${escapeLike(right)}`} escape '\\'`;
    case 'gt':
      return sql`${left} > ${right}`;
    case 'ge':
      return sql`${left} >= ${right}`;
    case 'lt':
      return sql`${left} < ${right}`;
    case 'le':
      return sql`${left} <= ${right}`;
  }
}

function compare(attr: FilterAttribute, name: string, op: Compare | 'pr', value: CompValue): SQL {
  switch (attr.kind) {
    case 'text':
    case 'text_ci':
      return textCompare(attr.column, op, value, attr.kind === 'text_ci');
    case 'bool': {
      if (op === 'pr') return sql`true`;
      const b = typeof value === 'string' ? value.toLowerCase() : value;
      if ((b !== true && b !== false && b !== 'true' && b !== 'false') || (op !== 'eq' && op !== 'ne'))
        throw invalid(`${name} is a boolean: compare it with eq or ne and true or false.`);
      const wanted = b === true || b === 'true';
      return op === 'eq' ? sql`${attr.column} = ${wanted}` : sql`${attr.column} <> ${wanted}`;
    }
    case 'uuid': {
      if (op === 'pr') return sql`true`;
      if (op !== 'eq' && op !== 'ne') throw invalid(`${name} supports only eq and ne.`);
      const v = String(value ?? '');
      // An id that is not a UUID names nothing we hold.
      if (!UUID.test(v)) return op === 'eq' ? sql`false` : sql`true`;
      return op === 'eq' ? sql`${attr.column} = ${v}::uuid` : sql`${attr.column} <> ${v}::uuid`;
    }
    case 'datetime': {
      if (op === 'pr') return sql`${attr.column} is not null`;
      const at = typeof value === 'string' ? new Date(value) : null;
      if (!at || Number.isNaN(at.getTime()) || op === 'co' || op === 'sw' || op === 'ew')
        throw invalid(`${name} is a date-time: compare it (eq, gt, ge, lt, le) with an ISO 8601 string.`);
      const ops = { eq: sql`=`, ne: sql`<>`, gt: sql`>`, ge: sql`>=`, lt: sql`<`, le: sql`<=` } as const;
      return sql`${attr.column} ${ops[op]} ${at.toISOString()}::timestamptz`;
    }
    case 'multi': {
      const sub = attr.sub[attr.defaultSub];
      if (!sub) throw invalid(`${name} cannot be compared directly.`);
      return sql`exists (select 1 from ${attr.from} where ${attr.on} and ${compare(sub, `${name}.${attr.defaultSub}`, op, value)})`;
    }
  }
}

function lookup(attrs: FilterAttributes, path: string): { attr: FilterAttribute; name: string } | null {
  const name = normalizeAttrPath(path);
  const direct = attrs[name];
  if (direct) return { attr: direct, name };
  // "emails.value" → the sub-attribute of a multi-valued attribute, true when any value matches.
  const dot = name.indexOf('.');
  if (dot > 0) {
    const parent = attrs[name.slice(0, dot)];
    const sub = parent?.kind === 'multi' ? parent.sub[name.slice(dot + 1)] : undefined;
    if (parent?.kind === 'multi' && sub) {
      return {
        name,
        attr: { ...parent, sub: { [name.slice(dot + 1)]: sub }, defaultSub: name.slice(dot + 1) },
      };
    }
  }
  return null;
}

function translate(f: Filter, attrs: FilterAttributes, depth: number): SQL {
  if (depth > 50) throw invalid('The filter is nested too deeply.');
  switch (f.op) {
    case 'and':
    case 'or': {
      const parts = f.filters.map((x) => translate(x, attrs, depth + 1));
      return sql`(${sql.join(parts, f.op === 'and' ? sql` and ` : sql` or `)})`;
    }
    case 'not':
      return sql`not (${translate(f.filter, attrs, depth + 1)})`;
    case '[]': {
      const found = lookup(attrs, f.attrPath);
      if (found?.attr.kind !== 'multi')
        throw invalid(`${f.attrPath} is not a multi-valued attribute we can filter on.`);
      // Every condition inside the brackets applies to the same value.
      const { from, on, sub } = found.attr;
      return sql`exists (select 1 from ${from} where ${on} and ${translate(f.valFilter, sub, depth + 1)})`;
    }
    default: {
      const found = lookup(attrs, f.attrPath);
      if (!found) throw invalid(`Filtering on ${f.attrPath} is not supported.`);
      return compare(found.attr, found.name, f.op, f.op === 'pr' ? null : f.compValue);
    }
  }
}

/** The SQL condition for a SCIM filter; 400 invalidFilter for a filter that does not parse or names the unknown. */
export function filterToSql(filter: string, attrs: FilterAttributes): SQL {
  let ast: Filter;
  try {
    ast = parse(filter);
  } catch {
    throw invalid(`The filter does not parse: ${JSON.stringify(filter.slice(0, 200))}.`);
  }
  return translate(ast, attrs, 0);
}
