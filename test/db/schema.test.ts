import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/client.ts';
import { MIGRATIONS_FOLDER, migrateDatabase, migrationStatus } from '../../src/server/db/migrate.ts';
import * as schema from '../../src/server/db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const tables: PgTable[] = Object.values(schema as Record<string, unknown>).filter(
  (v): v is PgTable => v instanceof PgTable,
);

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await test?.drop();
});

describe('migrations', () => {
  it('start pending on an empty database, then apply and are idempotent', async () => {
    expect((await migrationStatus(test.database)).current).toBe(false);
    await migrateDatabase(test.database);
    await migrateDatabase(test.database);
    const status = await migrationStatus(test.database);
    expect(status).toMatchObject({ current: true, pending: [] });
    expect(status.applied).toBe(status.expected);
  });

  it('produce exactly the tables, columns, types, nullability and indexes the code expects', async () => {
    const columns = await queryRows<{
      table_name: string;
      column_name: string;
      type: string;
      not_null: boolean;
    }>(
      test.database.db,
      sql`select c.relname as table_name, a.attname as column_name,
                 format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null
          from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped`,
    );
    const indexes = await queryRows<{ indexname: string }>(
      test.database.db,
      sql`select indexname from pg_indexes where schemaname = 'public'`,
    );
    const actualTables = new Set(columns.map((c) => c.table_name));
    expect([...actualTables].sort()).toEqual(tables.map((t) => getTableConfig(t).name).sort());

    for (const table of tables) {
      const config = getTableConfig(table);
      const actual = columns
        .filter((c) => c.table_name === config.name)
        .map((c) => ({ name: c.column_name, type: c.type, notNull: c.not_null }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const expected = config.columns
        .map((c) => ({ name: c.name, type: c.getSQLType(), notNull: c.notNull || c.primary }))
        .sort((a, b) => a.name.localeCompare(b.name));
      expect({ table: config.name, columns: actual }).toEqual({ table: config.name, columns: expected });
      for (const index of config.indexes) {
        expect(indexes.map((i) => i.indexname)).toContain(index.config.name);
      }
    }
  });

  it('has the covering author index scoped reports read (created in SQL: drizzle has no INCLUDE)', async () => {
    const [row] = await queryRows<{ indexdef: string }>(
      test.database.db,
      sql`select indexdef from pg_indexes where indexname = 'insights_author_captured_cover_idx'`,
    );
    expect(row?.indexdef).toMatch(
      /\(author_id, captured_at DESC NULLS LAST\) INCLUDE \(merged_into_id, type, sentiment, priority, event_id, session_id, follow_up_status, product_areas\)/,
    );
  });

  it("pages newest first by walking an index, not by sorting the table (the index has the queries' order)", async () => {
    // Sorting is forbidden for this plan: if no index had the order of ORDER BY captured_at DESC, id DESC
    // (NULLS FIRST, PostgreSQL's default for DESC), the planner would have to sort anyway and say so.
    const plan = await test.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_sort = off`);
      await tx.execute(sql`set local enable_seqscan = off`);
      return queryRows<{ 'QUERY PLAN': string }>(
        tx,
        sql`explain select id from insights order by captured_at desc, id desc limit 50`,
      );
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('insights_captured_order_idx');
    expect(text).not.toMatch(/\bSort\b/);
  });

  it('keeps the audit log append-only at the database level', async () => {
    const triggers = await queryRows<{ tgname: string }>(
      test.database.db,
      sql`select tgname from pg_trigger where tgrelid = 'audit_events'::regclass and not tgisinternal`,
    );
    expect(triggers.map((t) => t.tgname).sort()).toEqual([
      'audit_events_no_truncate',
      'audit_events_no_update_delete',
    ]);
  });

  it('are in step with schema.ts: generating from the schema would add nothing', async () => {
    const journal = JSON.parse(
      readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
    ) as {
      entries: { idx: number }[];
    };
    const lastIdx = String(journal.entries.at(-1)?.idx).padStart(4, '0');
    const snapshot = JSON.parse(
      readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', `${lastIdx}_snapshot.json`), 'utf8'),
    ) as Parameters<typeof generateMigration>[0];
    const current = generateDrizzleJson(schema as Record<string, unknown>, snapshot.id);
    const statements = await generateMigration(snapshot, current);
    expect(statements, 'schema.ts changed without a migration: run npm run db:generate').toEqual([]);
  });
});
