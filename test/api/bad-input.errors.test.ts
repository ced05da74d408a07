import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/client.ts';
import {
  frameworkErrors,
  registerErrorHandling,
  UNSTORABLE_TEXT_DETAIL,
} from '../../src/server/plugins/errors.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * The second line behind validation (issue 12 §2): text the database refuses (a NUL in text or jsonb) answers a
 * 400 problem, never a 500 with SQL in it; and what Fastify's router refuses before any route runs (a path
 * parameter over maxParamLength, a URL that is not valid percent-encoding) answers problem+json too. Against the
 * real database of the suite (PGlite, or PostgreSQL with DATABASE_URL).
 */

let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  app = Fastify({ frameworkErrors, routerOptions: { maxParamLength: 200 } });
  registerErrorHandling(app);
  app.get<{ Params: { kind: string } }>('/store/:kind', async (request) => {
    const value = 'before\u0000after';
    const query =
      request.params.kind === 'jsonb'
        ? sql`select ${JSON.stringify({ text: value })}::jsonb as v`
        : sql`select ${value}::text as v`;
    return { rows: await queryRows(db.database.db, query) };
  });
  app.get('/boom', async () => {
    throw new Error('select secret from internals');
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('errors the database and the router raise', () => {
  it.each(['text', 'jsonb'])(
    'a NUL the database refuses in %s is a 400 problem without SQL',
    async (kind) => {
      const response = await app.inject({ method: 'GET', url: `/store/${kind}` });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({
        status: 400,
        title: 'Invalid request',
        detail: UNSTORABLE_TEXT_DETAIL,
      });
      expect(response.body).not.toMatch(/select|::|22021|22P05|\.ts:/i);
    },
  );

  it('any other database or code failure stays a 500 that shows nothing of it', async () => {
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/select|secret/i);
  });

  it('a path parameter over the router limit is a 414 problem', async () => {
    const response = await app.inject({ method: 'GET', url: `/store/${'x'.repeat(201)}` });
    expect(response.statusCode).toBe(414);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 414, instance: `/store/${'x'.repeat(201)}` });
    expect(typeof response.json().requestId).toBe('string');
  });

  it('a path that is not valid percent-encoding is a 400 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/store/%C0%AF' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, title: 'Invalid request' });
  });
});
