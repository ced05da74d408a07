import { and, eq, lt, or } from 'drizzle-orm';
import type { Role, Scope } from '../../../contract/roles.ts';
import type { Db } from '../../db/client.ts';
import { authFlows, people, sessions } from '../../db/schema.ts';

export type PersonRow = typeof people.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export interface ClaimsProfile {
  issuer: string;
  subject: string;
  email: string;
  displayName: string;
  groups: string[];
  team: string | null;
}

export async function findPersonByIssuerSubject(db: Db, issuer: string, subject: string) {
  const [row] = await db
    .select()
    .from(people)
    .where(and(eq(people.issuer, issuer), eq(people.subject, subject)))
    .limit(1);
  return row ?? null;
}

/** Create the person unless a concurrent first sign-in already did: null then, and the caller refreshes. */
export async function insertPersonIfAbsent(
  db: Db,
  profile: ClaimsProfile,
  now: Date,
): Promise<PersonRow | null> {
  const [row] = await db
    .insert(people)
    .values({ ...profile, status: 'provisional', lastSignInAt: now, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [people.issuer, people.subject] })
    .returning();
  return row ?? null;
}

/** Claims are refreshed on every sign-in; status is never changed here (the org source owns it). */
export async function refreshPersonFromClaims(db: Db, id: string, profile: ClaimsProfile, now: Date) {
  const [row] = await db
    .update(people)
    .set({
      email: profile.email,
      displayName: profile.displayName,
      groups: profile.groups,
      team: profile.team,
      lastSignInAt: now,
      updatedAt: now,
    })
    .where(eq(people.id, id))
    .returning();
  if (!row) throw new Error('person vanished during sign-in');
  return row;
}

export interface NewSession {
  tokenHash: string;
  personId: string;
  role: Role;
  scope: Scope;
  amr: string[];
  idToken: string | null;
  ip: string;
  userAgent: string | null;
  createdAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

export async function insertSession(db: Db, session: NewSession): Promise<SessionRow> {
  const [row] = await db
    .insert(sessions)
    .values({ ...session, lastSeenAt: session.createdAt })
    .returning();
  if (!row) throw new Error('insert sessions returned no row');
  return row;
}

export async function findSessionByTokenHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({ session: sessions, person: people })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1);
  return row ?? null;
}

export async function touchSession(db: Db, id: string, now: Date, idleExpiresAt: Date) {
  await db.update(sessions).set({ lastSeenAt: now, idleExpiresAt }).where(eq(sessions.id, id));
}

export async function deleteSession(db: Db, id: string): Promise<boolean> {
  const deleted = await db.delete(sessions).where(eq(sessions.id, id)).returning({ id: sessions.id });
  return deleted.length > 0;
}

export async function deleteSessionByTokenHash(db: Db, tokenHash: string) {
  return db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).returning({ id: sessions.id });
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(or(lt(sessions.idleExpiresAt, now), lt(sessions.absoluteExpiresAt, now)))
    .returning({ id: sessions.id });
  return rows.length;
}

export interface NewAuthFlow {
  idHash: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: Date;
}

export async function insertAuthFlow(db: Db, flow: NewAuthFlow) {
  await db.insert(authFlows).values(flow);
}

/** Single use: the flow is deleted as it is read, so a replayed callback finds nothing. */
export async function takeAuthFlow(db: Db, idHash: string, now: Date) {
  const [row] = await db.delete(authFlows).where(eq(authFlows.idHash, idHash)).returning();
  if (!row || row.expiresAt <= now) return null;
  return row;
}

export async function deleteExpiredAuthFlows(db: Db, now: Date): Promise<number> {
  const rows = await db
    .delete(authFlows)
    .where(lt(authFlows.expiresAt, now))
    .returning({ idHash: authFlows.idHash });
  return rows.length;
}
