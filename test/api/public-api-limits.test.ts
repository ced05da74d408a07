import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiTokenIssued, ApiTokenSummary } from '../../src/contract/api/tokens.ts';
import { apiTokens, auditEvents } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';
import { awayFromWindowEdge, expectProblem, publicApi } from './public-api.helpers.ts';

/** Per-token rate budgets: chosen when the token is made, counted per token, never shared. */
let stack: TestStack;
let ari: Session; // advocate
let maya: Session; // manager
let noah: Session; // admin (approves service tokens)
const api = publicApi(() => stack);
const { bearer, createToken } = api;
const limitOf = (response: Response) => Number(response.headers.get('x-ratelimit-limit'));

beforeAll(async () => {
  stack = await startStack();
  [ari, maya] = (await Promise.all(['Ari', 'Maya'].map((who) => stack.signIn(who)))) as [Session, Session];
  noah = await stack.signIn('Noah', { auth: 'mfa' });
});
afterAll(async () => {
  await stack?.close();
});

describe('per-token rate limits', () => {
  it('a token with a small budget gets 429 with Retry-After; another token and the session are unaffected', async () => {
    const small = await createToken(ari, ['events:read'], { rateLimitPerMinute: 10 });
    const other = await createToken(ari, ['events:read']);
    expect(small.rateLimitPerMinute).toBe(10);
    await awayFromWindowEdge();
    const answers: Response[] = [];
    for (let i = 0; i < 11; i += 1) answers.push(await bearer(small.token, '/api/v1/events'));
    expect(answers.slice(0, 10).map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(limitOf(answers[0] as Response)).toBe(10);
    const limited = answers[10] as Response;
    const problem = await expectProblem(limited, 429);
    expect(problem.title).toBe('Too many requests');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    const fine = await bearer(other.token, '/api/v1/events');
    expect(fine.status).toBe(200);
    expect(limitOf(fine)).toBe(600);
    const session = await ari.get('/api/v1/events');
    expect(session.status).toBe(200);
    expect(limitOf(session)).toBe(600);
    // The budget is the token's own across the operations it reaches: a fresh operation has a fresh window.
    expect((await bearer(small.token, '/api/v1/events/picker')).status).toBe(200);
  });

  it('a personal token only lowers the defaults: on a write operation its budget is capped by the default', async () => {
    const reader = await createToken(ari, ['insights:read', 'insights:write'], { rateLimitPerMinute: 300 });
    expect(limitOf(await bearer(reader.token, '/api/v1/insights'))).toBe(300);
    const write = await bearer(reader.token, '/api/v1/insights', { method: 'POST', body: '{}' });
    expect(write.status).toBe(400);
    expect(limitOf(write)).toBe(120);
  });

  it('a service token approved by an admin may raise its budget above the defaults', async () => {
    const requested = await maya.post('/api/v1/token-requests', {
      name: 'BI warehouse',
      scopes: ['insights:read'],
      expiresInDays: 30,
      justification: 'Hourly pull into the warehouse',
      rateLimitPerMinute: 3000,
    });
    expect(requested.status, await requested.clone().text()).toBe(201);
    const { id } = (await requested.json()) as ApiTokenSummary;
    const pending = await noah.json<{ items: ApiTokenSummary[] }>('/api/v1/admin/tokens?status=requested');
    expect(pending.items.find((t) => t.id === id)?.rateLimitPerMinute).toBe(3000);
    expect((await noah.post(`/api/v1/admin/tokens/${id}/approve`, { note: 'OK' })).status).toBe(200);
    const issued = (await (await maya.post(`/api/v1/tokens/${id}/issue`, {})).json()) as ApiTokenIssued;
    expect(limitOf(await bearer(issued.token, '/api/v1/insights'))).toBe(3000);
    const [row] = await api.db().select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row?.rateLimitPerMinute).toBe(3000);
    const [created] = await api.db().select().from(auditEvents).where(eq(auditEvents.targetId, id));
    expect(created?.details).toMatchObject({ rateLimitPerMinute: 3000 });
  });

  it('validates the budget, naming the field', async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ rateLimitPerMinute: 9 }, 400],
      [{ rateLimitPerMinute: 3001 }, 400],
      [{ rateLimitPerMinute: 12.5 }, 400],
      [{ rateLimitPerMinute: '100' }, 400],
      // Above the read default: only a service token (approved by an admin) may have more.
      [{ rateLimitPerMinute: 601 }, 400],
    ];
    for (const [extra, status] of cases) {
      const response = await ari.post('/api/v1/tokens', {
        name: 'x',
        scopes: ['insights:read'],
        expiresInDays: 7,
        ...extra,
      });
      const problem = await expectProblem(response, status);
      expect(
        problem.errors?.map((e) => e.field),
        JSON.stringify(extra),
      ).toContain('body.rateLimitPerMinute');
    }
    const explicitDefault = await createToken(ari, ['insights:read'], { rateLimitPerMinute: null });
    expect(explicitDefault.rateLimitPerMinute).toBeNull();
    expect(limitOf(await bearer(explicitDefault.token, '/api/v1/insights'))).toBe(600);
  });
});
