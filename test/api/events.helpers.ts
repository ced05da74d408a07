import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { auditEvents, events, people } from '../../src/server/db/schema.ts';
import { seedDemoDataIfEmpty } from '../../src/server/modules/demo/demo.seed.ts';
import type { Session, TestStack } from '../helpers/stack.ts';

/** Shared set-up of the events API tests: the demo org (managers, reports, four events) and signed-in people. */

export const WHO = {
  maya: 'maya.patel@example.com', // manager AMER
  erik: 'erik.lindqvist@example.com', // manager EMEA
  dana: 'dana.okafor@example.com', // director, whole org
  priya: 'priya.raman@example.com', // admin
  ari: 'ari.levy@example.com', // advocate AMER
  ben: 'ben.carter@example.com', // advocate AMER
  camila: 'camila.reyes@example.com', // advocate AMER
  fatima: 'fatima.zahra@example.com', // advocate EMEA
  victor: 'victor.chen@example.com', // viewer
} as const;
export type Who = keyof typeof WHO;

export interface World {
  stack: TestStack;
  as: Record<Who, Session>;
  id: Record<Who, string>;
  event: (name: string) => Promise<string>;
}

export async function setUpWorld(stack: TestStack): Promise<World> {
  const db = stack.db.database.db;
  await seedDemoDataIfEmpty(db, { issuer: stack.idp.issuer, access: stack.config.access, now: new Date() });
  const as = {} as Record<Who, Session>;
  const id = {} as Record<Who, string>;
  for (const [key, email] of Object.entries(WHO) as [Who, string][]) {
    as[key] = await stack.signIn(email);
    const [row] = await db.select({ id: people.id }).from(people).where(eq(people.email, email));
    if (!row) throw new Error(`no person ${email}`);
    id[key] = row.id;
  }
  const event = async (name: string) => {
    const [row] = await db.select({ id: events.id }).from(events).where(eq(events.name, name));
    if (!row) throw new Error(`no event ${name}`);
    return row.id;
  };
  return { stack, as, id, event };
}

let serial = 0;
/** A minimal valid EventCreate with a unique name. */
export function newEvent(extra: Record<string, unknown> = {}) {
  serial += 1;
  return {
    name: `Dev Day ${serial} ${randomUUID().slice(0, 8)}`,
    eventType: 'regional_dev_day',
    startsOn: '2026-11-10',
    endsOn: '2026-11-11',
    ...extra,
  };
}

export async function ok<T>(response: Response, status = 200): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

export async function problem(response: Response, status: number) {
  expect(response.status, await response.clone().text()).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as { detail?: string; errors?: { field: string; message: string }[] };
}

export const fieldsOf = async (response: Response, status = 400) =>
  ((await problem(response, status)).errors ?? []).map((e) => e.field);

export const remove = (who: Session, path: string) =>
  who.fetch(path, { method: 'DELETE', headers: { 'x-csrf-token': who.csrf } });

/** Audit rows of one action (all targets, or one). */
export async function auditCount(stack: TestStack, action: string): Promise<number> {
  const db = stack.db.database.db;
  const [row] = await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, action));
  return Number(row?.n ?? 0);
}

export async function auditOf(stack: TestStack, targetId: string) {
  const db = stack.db.database.db;
  return db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.seq);
}

export async function eventCount(stack: TestStack): Promise<number> {
  const [row] = await stack.db.database.db.select({ n: count() }).from(events);
  return Number(row?.n ?? 0);
}
