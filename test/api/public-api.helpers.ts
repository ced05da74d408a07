import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import { auditEvents, people } from '../../src/server/db/schema.ts';
import type { Session, TestStack } from '../helpers/stack.ts';

/** Shared by the public-API tests: bearer calls, token creation, demotion through the org source. */
export function publicApi(stack: () => TestStack) {
  const db = () => stack().db.database.db;

  function bearer(token: string, path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(`${stack().baseUrl}${path}`, { ...init, headers });
  }
  const bearerSend = (token: string, method: string, path: string, body: unknown) =>
    bearer(token, path, { method, body: JSON.stringify(body) });

  async function createToken(who: Session, scopes: string[], extra: Record<string, unknown> = {}) {
    const response = await who.post('/api/v1/tokens', { name: 'API', scopes, expiresInDays: 7, ...extra });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as ApiTokenIssued;
  }

  async function person(email: string) {
    const [row] = await db().select().from(people).where(eq(people.email, email));
    if (!row) throw new Error(`no person ${email}`);
    return row;
  }

  /**
   * Changes a person's groups as the org source would (the role is re-derived on the next request), runs
   * `during`, then restores the groups and status they had.
   */
  async function withGroups(email: string, groups: string[], during: () => Promise<void>) {
    const before = await person(email);
    await db().update(people).set({ groups }).where(eq(people.id, before.id));
    try {
      await during();
    } finally {
      await db()
        .update(people)
        .set({ groups: before.groups, status: before.status })
        .where(eq(people.id, before.id));
    }
  }

  async function refusals(tokenId: string) {
    return db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, tokenId), eq(auditEvents.action, 'api_token.refused')));
  }

  return { db, bearer, bearerSend, createToken, person, withGroups, refusals };
}

export function newInsight(text = 'Written through the public API') {
  return {
    id: randomUUID(),
    text,
    type: 'feature_request',
    sentiment: 'neutral',
    priority: 'medium',
    capturedAt: new Date().toISOString(),
  };
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** A refusal is problem+json with the status given. */
export async function expectProblem(response: Response, status: number): Promise<ProblemBody> {
  expect(response.status, await response.clone().text()).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as ProblemBody;
}

/**
 * On PostgreSQL the rate-limit windows are aligned to the clock minute: a burst that straddles a minute
 * boundary would start a fresh window halfway. Wait for the next minute when fewer than `ms` remain.
 */
export async function awayFromWindowEdge(ms = 10_000) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < ms) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
