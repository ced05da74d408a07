import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/bi.ts';
import { type Database, openDatabase, queryRows } from '../../src/server/db/client.ts';
import { createCheckpoint } from '../../src/server/modules/audit/audit.checkpoints.ts';
import {
  generateSigningKeyPem,
  parseSigningKey,
  verifyKeysFrom,
} from '../../src/server/modules/audit/audit.keys.ts';
import { audit, verifyAuditChain } from '../../src/server/modules/audit/audit.service.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The runtime role `bi_runtime` of migration 0007 may append audit rows but not change or remove them — refused by
 * the grants themselves ("permission denied", SQLSTATE 42501), before any trigger runs — and the app works
 * normally as that role. On PostgreSQL the app's pool assumes the role; on PGlite (one connection) the connection
 * does, so the same statements and flows run as bi_runtime on both.
 */
const pem = generateSigningKeyPem();
let stack: TestStack;
let runtime: Database;
const ctx = systemContext('test');

/** The database error under drizzle's wrapper. */
async function refusal(work: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const error = (await work.then(
    () => null,
    (e: unknown) => e,
  )) as { cause?: { code?: string; message: string }; code?: string; message: string } | null;
  if (!error) throw new Error('the statement was allowed');
  return error.cause ?? error;
}

describe('the runtime role (database grants)', () => {
  beforeAll(async () => {
    stack = await startStack({ runtimeRole: 'bi_runtime', env: { AUDIT_SIGNING_KEY: pem } });
    runtime = stack.db.url
      ? await openDatabase({ kind: 'postgres', url: stack.db.url, poolMax: 2, runtimeRole: 'bi_runtime' })
      : stack.db.database;
  });
  afterAll(async () => {
    if (stack?.db.url) await runtime?.close();
    await stack?.close();
  });

  it('appends audit events and checkpoints, but cannot update, delete or truncate them', async () => {
    const db = runtime.db;
    const [who] = await queryRows<{ user: string }>(db, sql`select current_user as user`);
    expect(who?.user).toBe('bi_runtime');
    await db.transaction((tx) =>
      audit(tx, ctx, { action: 'demo.seeded', details: { people: 0, events: 0, insights: 0 } }),
    );
    expect(await createCheckpoint(db, parseSigningKey(pem), new Date())).toMatchObject({ created: true });

    for (const table of ['audit_events', 'audit_checkpoints', 'audit_verifications', 'audit_archives']) {
      for (const statement of [`update ${table} set id = id`, `delete from ${table}`, `truncate ${table}`]) {
        const error = await refusal(db.execute(sql.raw(statement)));
        expect(error.code, statement).toBe('42501');
        expect(error.message, statement).toMatch(new RegExp(`^permission denied for table ${table}`));
      }
    }
    // Nor can it switch the append-only trigger off (only the owner can).
    const alter = await refusal(db.execute(sql`alter table audit_events disable trigger user`));
    expect(alter.message).toMatch(/must be owner/);
    expect(
      await verifyAuditChain(stack.db.database.db, { keys: verifyKeysFrom(parseSigningKey(pem), {}) }),
    ).toMatchObject({
      ok: true,
      checkpointsChecked: 1,
    });
  });

  it('runs the app: sign-in, an insight, an admin ending a session, verify and bi audit verify', async () => {
    const ari: Session = await stack.signIn('Ari');
    const id = crypto.randomUUID();
    const created = await ari.post('/api/v1/insights/batch', {
      items: [
        {
          id,
          text: 'Wants change streams in the edge SDK',
          type: 'feature_request',
          sentiment: 'neutral',
          priority: 'medium',
          productAreas: [],
          eventId: null,
          capturedAt: new Date().toISOString(),
        },
      ],
    });
    expect(created.status, await created.clone().text()).toBe(200);

    const priya = await stack.signIn('Priya', { auth: 'mfa', returnTo: '/admin/' });
    const sessions = await priya.json<{ items: { id: string; person: { name: string } }[] }>(
      '/api/v1/admin/sessions',
    );
    const ariSession = sessions.items.find((s) => s.person.name.startsWith('Ari'));
    if (!ariSession) throw new Error('no session of ari');
    const ended = await priya.post(`/api/v1/admin/sessions/${ariSession.id}/end`, {});
    expect(ended.status, await ended.clone().text()).toBe(200);
    expect((await ari.get('/api/v1/me')).status).toBe(401);

    const verified = await priya.post('/api/v1/audit/verify', {});
    expect(verified.status, await verified.clone().text()).toBe(200);
    expect(await verified.json()).toMatchObject({ verification: { ok: true, trigger: 'admin' } });

    // The CLI opens its own database: PostgreSQL only (the in-memory PGlite has no second process).
    if (!stack.db.url) return;
    const out: string[] = [];
    const err: string[] = [];
    const env = {
      DATABASE_URL: stack.db.url ?? '',
      DATABASE_RUNTIME_ROLE: 'bi_runtime',
      AUDIT_SIGNING_KEY: pem,
      DATA_DIR: '/nonexistent-bi-data-dir',
    };
    const code = await runCli(
      ['audit', 'verify'],
      (l) => out.push(l),
      (l) => err.push(l),
      env,
    );
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out[0]).toMatch(/^Audit chain intact: \d+ events verified/);
  });
});
