import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../src/server/db/client.ts';
import { MIGRATIONS_FOLDER, migrateDatabase, migrationStatus } from '../../src/server/db/migrate.ts';
import { auditEvents, events, insights, people } from '../../src/server/db/schema.ts';
import { type AuditContent, auditHash, GENESIS_HASH } from '../../src/server/modules/audit/audit.chain.ts';
import { verifyAuditChain } from '../../src/server/modules/audit/audit.verify.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * N-1 code on schema N (docs/operations/migrations.md): a database built by the previous release's migrations
 * (every shipped migration but the newest: they are append-only) and written the way that release writes, then
 * migrated to the current schema. The previous release's INSERTs and SELECTs must still work, and the current
 * code must read the old rows. The snapshot comparison is the expand/contract rule itself and follows the
 * journal, so it checks every future migration against the one before it.
 */
interface Column {
  name: string;
  type: string;
  notNull: boolean;
  default?: unknown;
  generated?: unknown;
  identity?: unknown;
}
interface Snapshot {
  tables: Record<string, { name: string; schema: string; columns: Record<string, Column> }>;
  enums: Record<string, { values: string[] }>;
}
interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

const journal = JSON.parse(
  readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'),
) as Journal;
const snapshot = (idx: number) =>
  JSON.parse(
    readFileSync(path.join(MIGRATIONS_FOLDER, `meta/${String(idx).padStart(4, '0')}_snapshot.json`), 'utf8'),
  ) as Snapshot;
const newest = journal.entries.at(-1);
const previousEntries = journal.entries.slice(0, -1);
if (!newest || previousEntries.length === 0) throw new Error('need at least two migrations for an N-1 test');
const previous = snapshot(newest.idx - 1);
const current = snapshot(newest.idx);

/** Columns an INSERT must name: NOT NULL, no default, not generated or identity. */
const required = (c: Column) => c.notNull && c.default === undefined && !c.generated && !c.identity;

/** A literal of the column's type (SQL text we write ourselves, never input). */
function valueFor(column: Column, snap: Snapshot): string {
  const type = column.type.replace(/^"?public"?\./, '').replace(/"/g, '');
  if (type.endsWith('[]')) return `'{}'`;
  const enumValues = snap.enums[`public.${type}`]?.values;
  if (enumValues?.[0]) return `'${enumValues[0]}'`;
  if (type === 'uuid') return 'gen_random_uuid()';
  if (/^(text|varchar|character varying|citext)/.test(type)) return `'n1-${randomUUID()}'`;
  if (/^(smallint|integer|bigint|real|double precision|numeric|serial)/.test(type)) return '1';
  if (type === 'boolean') return 'true';
  if (type === 'date') return 'current_date';
  if (type.startsWith('timestamp')) return 'now()';
  if (type === 'jsonb' || type === 'json') return `'{}'`;
  if (type === 'bytea') return `'\\x00'::bytea`;
  if (type === 'tsvector') return `''::tsvector`;
  if (type === 'interval') return `'1 day'`;
  throw new Error(`no test value for column type ${column.type}: extend valueFor in this test`);
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `insert into t (N-1's required columns + overrides) values (…) returning *`, as the previous release would. */
function n1Insert(table: string, overrides: Record<string, string> = {}) {
  const t = previous.tables[`public.${table}`];
  if (!t) throw new Error(`${table} is not in the N-1 snapshot`);
  const columns = Object.values(t.columns).filter((c) => required(c) && !(c.name in overrides));
  const names = [...columns.map((c) => c.name), ...Object.keys(overrides)];
  const values = [...columns.map((c) => valueFor(c, previous)), ...Object.values(overrides)];
  return sql.raw(
    `insert into ${ident(table)} (${names.map(ident).join(', ')}) values (${values.join(', ')}) returning id`,
  );
}

/** An audit event through the hash chain, naming only the columns N-1's audit_events had. */
async function n1AuditEvent(db: Db, action: string): Promise<void> {
  const [last] = await queryRows<{ hash: string }>(
    db,
    sql`select hash from audit_events order by seq desc limit 1`,
  );
  const prevHash = last?.hash ?? GENESIS_HASH;
  const content: AuditContent = {
    id: randomUUID(),
    occurredAt: new Date(Math.floor(Date.now() / 1000) * 1000),
    action,
    outcome: 'success',
    actorId: null,
    actorSessionId: null,
    actorRole: 'system',
    targetType: 'migration-test',
    targetId: 'n1',
    actorTokenId: null,
    actorBreakGlass: false,
    ip: null,
    userAgent: null,
    requestId: null,
    traceId: null,
    details: { release: 'N-1' },
  };
  await db.execute(sql`insert into audit_events
    (id, occurred_at, action, outcome, actor_role, target_type, target_id, details, prev_hash, hash)
    values (${content.id}, ${content.occurredAt.toISOString()}, ${content.action}, ${content.outcome},
            ${content.actorRole}, ${content.targetType}, ${content.targetId}, ${JSON.stringify(content.details)}::jsonb,
            ${prevHash}, ${auditHash(prevHash, content)})`);
}

/** The previous release's write path: a person, an event they own, two insights, audit events. */
async function writeAsN1(db: Db, tag: string): Promise<{ personId: string; eventId: string }> {
  const [person] = await queryRows<{ id: string }>(
    db,
    n1Insert('people', { email: `'${tag}@example.com'`, display_name: `'N-1 ${tag}'` }),
  );
  const personId = person?.id ?? '';
  const [event] = await queryRows<{ id: string }>(
    db,
    n1Insert('events', { owner_id: `'${personId}'`, name: `'N-1 event ${tag}'` }),
  );
  const eventId = event?.id ?? '';
  for (const text of ['first', 'second'])
    await db.execute(
      n1Insert('insights', {
        author_id: `'${personId}'`,
        event_id: `'${eventId}'`,
        text: `'${tag} ${text}'`,
      }),
    );
  await n1AuditEvent(db, `n1.${tag}.written`);
  return { personId, eventId };
}

let test: TestDatabase;
let n1Rows: { personId: string; eventId: string };
const folder = mkdtempSync(path.join(tmpdir(), 'bi-migrations-n1-'));

beforeAll(async () => {
  // N-1 = the current folder minus the newest journal entry (migrations are append-only).
  mkdirSync(path.join(folder, 'meta'));
  for (const entry of previousEntries)
    copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  writeFileSync(
    path.join(folder, 'meta/_journal.json'),
    JSON.stringify({ ...journal, entries: previousEntries }),
  );

  test = await createTestDatabase({ migrate: false });
  const { database } = test;
  if (database.kind === 'pglite')
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
  else await migratePg(database.db as unknown as NodePgDatabase, { migrationsFolder: folder });
  expect((await migrationStatus(database)).pending).toEqual([String(newest.when)]);

  n1Rows = await writeAsN1(database.db, 'before');
  await migrateDatabase(database);
  expect((await migrationStatus(database)).current).toBe(true);
}, 60_000);
afterAll(async () => {
  await test?.drop();
  rmSync(folder, { recursive: true, force: true });
});

describe(`N-1 compatibility: ${previousEntries.at(-1)?.tag} code on ${newest.tag}`, () => {
  it('every change since N-1 is additive: no table or column dropped, renamed or retyped, new columns optional', () => {
    expect(additiveProblems(previous, current), 'expand/contract: see docs/operations/migrations.md').toEqual(
      [],
    );
    // The rule bites: a dropped column and a new required column in a made-up next snapshot.
    const people = previous.tables['public.people'];
    if (!people) throw new Error('no people table');
    const { email: _dropped, ...kept } = people.columns;
    const next: Snapshot = {
      ...previous,
      tables: {
        ...previous.tables,
        'public.people': {
          ...people,
          columns: { ...kept, nickname: { name: 'nickname', type: 'text', notNull: true } },
        },
      },
    };
    expect(additiveProblems(previous, next)).toEqual([
      'public.people.email was dropped or renamed',
      'public.people.nickname is new, NOT NULL and has no default: N-1 INSERTs would fail',
    ]);
  });

  it("an INSERT naming only N-1's columns still succeeds on schema N, for every table N-1 had", async () => {
    const failures: string[] = [];
    let inserted = 0;
    for (const table of Object.values(previous.tables)) {
      const code = await tryN1Insert(test.database.db, table);
      if (code === null) inserted += 1;
      else if (INCOMPATIBLE.has(code)) failures.push(`${table.name}: ${code}`);
    }
    expect(failures).toEqual([]);
    expect(inserted).toBeGreaterThan(Object.keys(previous.tables).length / 2);

    // The check bites: a required column added without a default makes N-1's INSERT fail (rolled back).
    const people = previous.tables['public.people'];
    if (!people) throw new Error('no people table');
    const bitten = await test.database.db
      .transaction(async (tx) => {
        await tx.execute(sql`alter table people add column n1_probe text not null default ''`);
        await tx.execute(sql`alter table people alter column n1_probe drop default`);
        const code = await tryN1Insert(tx, people);
        throw new RollbackSignal(code ?? 'inserted');
      })
      .catch((e: unknown) => (e instanceof RollbackSignal ? e.message : errorCode(e)));
    expect(bitten).toBe('23502');
  });

  it('the previous release writes and reads on schema N, and the current code reads its rows', async () => {
    const db = test.database.db;
    const after = await writeAsN1(db, 'after');
    // N-1's reads: only the columns it knew.
    const personColumns = Object.keys(previous.tables['public.people']?.columns ?? {});
    const [row] = await queryRows<Record<string, unknown>>(
      db,
      sql.raw(`select ${personColumns.map(ident).join(', ')} from people where id = '${after.personId}'`),
    );
    expect(row?.email).toBe('after@example.com');
    const n1Insights = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from insights where event_id in (${n1Rows.eventId}, ${after.eventId})`,
    );
    expect(n1Insights[0]?.n).toBe(4);

    // The current code's reads (every column schema N has) over rows written before and after the migration.
    const [person] = await db.select().from(people).where(eq(people.id, n1Rows.personId));
    expect(person?.displayName).toBe('N-1 before');
    const [event] = await db.select().from(events).where(eq(events.id, n1Rows.eventId));
    expect(event?.ownerId).toBe(n1Rows.personId);
    expect(await db.select().from(insights).where(eq(insights.authorId, n1Rows.personId))).toHaveLength(2);
    expect(await db.select().from(auditEvents)).toHaveLength(2);
    const chain = await verifyAuditChain(db);
    expect(chain).toMatchObject({ ok: true, checked: 2 });
  });
});

/** The expand/contract rule between two snapshots: what N-1 code could no longer do on schema N. */
function additiveProblems(previous: Snapshot, current: Snapshot): string[] {
  const problems: string[] = [];
  for (const [key, before] of Object.entries(previous.tables)) {
    const after = current.tables[key];
    if (!after) {
      problems.push(`table ${key} was dropped or renamed`);
      continue;
    }
    for (const column of Object.values(before.columns)) {
      const now = after.columns[column.name];
      if (!now) problems.push(`${key}.${column.name} was dropped or renamed`);
      else if (now.type !== column.type)
        problems.push(`${key}.${column.name} changed type ${column.type} → ${now.type}`);
      else if (required(now) && !required(column))
        problems.push(`${key}.${column.name} became NOT NULL without a default`);
    }
    for (const column of Object.values(after.columns))
      if (!before.columns[column.name] && required(column))
        problems.push(`${key}.${column.name} is new, NOT NULL and has no default: N-1 INSERTs would fail`);
  }
  return problems;
}

/**
 * Errors that mean N-1 code broke: a NOT NULL column it does not fill, a column or table it names is gone, a
 * type changed. A check or unique violation means PostgreSQL already accepted the row's columns and NOT NULLs.
 */
const INCOMPATIBLE = new Set(['23502', '42703', '42P01', '42804']);

/**
 * One INSERT naming only N-1's required columns, rolled back: null when it succeeded, else the SQLSTATE. Foreign
 * keys are off (replication role) so each table stands alone.
 */
async function tryN1Insert(db: Db, table: Snapshot['tables'][string]): Promise<string | null> {
  return db
    .transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      const columns = Object.values(table.columns).filter(required);
      const statement =
        columns.length > 0
          ? `insert into ${ident(table.name)} (${columns.map((c) => ident(c.name)).join(', ')})
             values (${columns.map((c) => valueFor(c, previous)).join(', ')})`
          : `insert into ${ident(table.name)} default values`;
      await tx.execute(sql.raw(statement));
      throw new RollbackSignal('');
    })
    .catch((e: unknown) => (e instanceof RollbackSignal ? null : errorCode(e)));
}

class RollbackSignal extends Error {}

function errorCode(e: unknown): string {
  for (let cause: unknown = e; cause; cause = (cause as { cause?: unknown }).cause)
    if (typeof (cause as { code?: unknown }).code === 'string') return (cause as { code: string }).code;
  throw e;
}
