import type { PGlite, Transaction } from '@electric-sql/pglite';
import { type Attributes, context, type Span, SpanKind, trace } from '@opentelemetry/api';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import { getTracer, recordFailure } from './tracing.ts';

/**
 * CLIENT spans for database queries, wrapped at the driver (pg client `query`, PGlite `query`/`exec` and the
 * transaction object PGlite hands out), so every query Drizzle, the migrator or raw SQL sends is covered.
 *
 * A query gets a span only inside a recording span (a sampled request or job): queries outside any trace
 * (start-up, migrations) or in unsampled traces cost one context lookup and nothing else. The span carries the
 * parameterized SQL text (`$1`, `$2`…) cut to 2,000 characters; parameter values are never recorded.
 */
export const QUERY_TEXT_MAX = 2000;

/** The statement's first keyword (SELECT, INSERT, WITH, BEGIN…), upper-cased; undefined for empty text. */
export function operationName(text: string): string | undefined {
  return /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase();
}

interface Target {
  namespace: string;
  address?: string | undefined;
  port?: number | undefined;
}

function startQuerySpan(text: string, target: Target): Span | null {
  if (!trace.getActiveSpan()?.isRecording()) return null;
  const operation = operationName(text);
  const attributes: Attributes = {
    [ATTR_DB_SYSTEM_NAME]: 'postgresql',
    [ATTR_DB_NAMESPACE]: target.namespace,
    [ATTR_DB_QUERY_TEXT]: text.length > QUERY_TEXT_MAX ? text.slice(0, QUERY_TEXT_MAX) : text,
  };
  if (operation) attributes[ATTR_DB_OPERATION_NAME] = operation;
  if (target.address) attributes[ATTR_SERVER_ADDRESS] = target.address;
  if (target.port) attributes[ATTR_SERVER_PORT] = target.port;
  const name = operation ? `${operation} ${target.namespace}` : target.namespace;
  return getTracer().startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active());
}

function endQuerySpan(span: Span, err?: unknown): void {
  if (err) {
    // PostgreSQL errors carry their SQLSTATE (e.g. 23505); other failures (connection lost) their class name.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, code);
      span.setAttribute(ATTR_ERROR_TYPE, code);
    } else span.setAttribute(ATTR_ERROR_TYPE, err instanceof Error ? err.name : 'Error');
    recordFailure(span, err);
  }
  span.end();
}

/** Run a promise-returning query inside its span (when there is one). */
function traced<T>(text: string, target: Target, run: () => Promise<T>): Promise<T> {
  const span = startQuerySpan(text, target);
  if (!span) return run();
  let pending: Promise<T>;
  try {
    pending = run();
  } catch (err) {
    endQuerySpan(span, err);
    throw err;
  }
  return pending.then(
    (result) => {
      endQuerySpan(span);
      return result;
    },
    (err: unknown) => {
      endQuerySpan(span, err);
      throw err;
    },
  );
}

const TRACED = Symbol('bi.db.traced');

type Marked = { [TRACED]?: true };

interface PgClientLike {
  query: (...args: unknown[]) => unknown;
  database?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
}

/**
 * Wrap one pg Client's `query` (the pool hands every new connection here): promise and callback forms are
 * traced; submittables (cursors, streams) pass through untraced.
 */
export function tracePgClient(client: PgClientLike, fallbackNamespace: string): void {
  if ((client as Marked)[TRACED]) return;
  (client as Marked)[TRACED] = true;
  const original = client.query.bind(client);
  const target: Target = {
    namespace: client.database || fallbackNamespace,
    address: client.host?.startsWith('/') ? undefined : client.host,
    port: client.port,
  };
  client.query = (...args: unknown[]) => {
    const first = args[0] as { text?: unknown; submit?: unknown } | string | undefined;
    if (typeof first === 'object' && first !== null && typeof first.submit === 'function')
      return original(...args);
    const text = typeof first === 'string' ? first : typeof first?.text === 'string' ? first.text : '';
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const span = startQuerySpan(text, target);
      if (!span) return original(...args);
      const done = last as (err: unknown, result: unknown) => void;
      args[args.length - 1] = (err: unknown, result: unknown) => {
        endQuerySpan(span, err ?? undefined);
        done(err, result);
      };
      return original(...args);
    }
    return traced(text, target, () => original(...args) as Promise<unknown>);
  };
}

/** The database a connection string names (pg's own default, when it names none, is the user's name). */
export function databaseName(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || 'postgres';
  } catch {
    return 'postgres';
  }
}

interface PgPoolLike {
  on(event: 'connect', listener: (client: PgClientLike) => void): unknown;
  connect: (...args: unknown[]) => unknown;
}

/**
 * Trace every connection of a pg Pool. The pool's own `query` waits for a free connection and then calls the
 * connection's `query` with a callback from wherever the connection was released; binding that callback to the
 * caller's context keeps the span under the right request.
 */
export function tracePgPool(pool: PgPoolLike, connectionString: string): void {
  const namespace = databaseName(connectionString);
  pool.on('connect', (client) => tracePgClient(client, namespace));
  const connect = pool.connect.bind(pool);
  pool.connect = (...args: unknown[]) => {
    const callback = args[0];
    if (typeof callback === 'function') return connect(context.bind(context.active(), callback));
    return connect(...args);
  };
}

type Run = (text: string, ...rest: unknown[]) => Promise<unknown>;
const PGLITE: Target = { namespace: 'postgres' };

/** Replace `query` and `exec` of a PGlite instance or transaction with traced versions. */
function wrapPgliteQueryable(
  target: Pick<PGlite, 'query' | 'exec'> | Pick<Transaction, 'query' | 'exec'>,
): void {
  const methods = target as unknown as { query: Run; exec: Run };
  const query = methods.query.bind(target);
  const exec = methods.exec.bind(target);
  methods.query = (text, ...rest) => traced(text, PGLITE, () => query(text, ...rest));
  methods.exec = (text, ...rest) => traced(text, PGLITE, () => exec(text, ...rest));
}

/**
 * Trace a PGlite instance: `query` and `exec`, and the same two on the transaction object PGlite passes to a
 * `transaction` callback (its queries do not go through the instance's methods). PGlite's own BEGIN/COMMIT
 * are internal and get no span.
 */
export function tracePglite(client: PGlite): void {
  if ((client as Marked)[TRACED]) return;
  (client as Marked)[TRACED] = true;
  wrapPgliteQueryable(client);
  const transaction = client.transaction.bind(client);
  client.transaction = <T>(work: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      wrapPgliteQueryable(tx);
      return work(tx);
    });
}
