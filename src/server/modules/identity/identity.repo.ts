import { and, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
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
  employeeNumber: string | null;
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

/**
 * Claims are refreshed on every sign-in, except what an org source owns: SCIM and the HR feed own name, e-mail
 * and the employee number; SCIM also owns groups (the HR feed has none, so the token's still count). What the token said is kept beside (source_records.oidc) so a disagreement
 * between sources is reported, not silently merged. Status is never changed here (the org source owns it).
 */
export async function refreshPersonFromClaims(
  db: Db,
  person: Pick<PersonRow, 'id' | 'orgSource'>,
  profile: ClaimsProfile,
  now: Date,
) {
  const scim = person.orgSource === 'scim';
  const asserted = {
    email: profile.email,
    displayName: profile.displayName,
    groups: profile.groups,
    employeeNumber: profile.employeeNumber,
    at: now.toISOString(),
  };
  const [row] = await db
    .update(people)
    .set({
      ...(person.orgSource ? {} : { email: profile.email, displayName: profile.displayName }),
      ...(scim ? {} : { groups: profile.groups, team: profile.team }),
      ...(person.orgSource || !profile.employeeNumber ? {} : { employeeNumber: profile.employeeNumber }),
      sourceRecords: sql`${people.sourceRecords} || jsonb_build_object('oidc', ${JSON.stringify(asserted)}::jsonb)`,
      lastSignInAt: now,
      updatedAt: now,
    })
    .where(eq(people.id, person.id))
    .returning();
  if (!row) throw new Error('person vanished during sign-in');
  return row;
}

/**
 * A person the org source provisioned who has never signed in, matching this first sign-in: by SCIM externalId
 * (the IdP's user id, our `sub`), else by login (userName) or e-mail — both from the same trusted IdP, e-mail
 * verified — else by employee number. Null when nothing or more than one person matches (never guess).
 */
export async function findProvisionedMatch(
  db: Db,
  profile: { subject: string; email: string; employeeNumber: string | null },
): Promise<{ person: PersonRow; matchedBy: string } | null> {
  const tries: [string, ReturnType<typeof sql>][] = [
    ['externalId', sql`${people.externalId} = ${profile.subject}`],
    [
      'userName',
      sql`(lower(${people.userName}) = lower(${profile.email}) or lower(${people.email}) = lower(${profile.email}))`,
    ],
  ];
  if (profile.employeeNumber)
    tries.push(['employeeNumber', sql`${people.employeeNumber} = ${profile.employeeNumber}`]);
  for (const [matchedBy, condition] of tries) {
    const rows = await db
      .select()
      .from(people)
      .where(and(sql`${people.issuer} is null`, condition))
      .limit(2);
    if (rows.length === 1 && rows[0]) return { person: rows[0], matchedBy };
    if (rows.length > 1) return null;
  }
  return null;
}

/** Display names by person id (for labels such as "reporting tree of Ada Lovelace"). */
export async function personNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: people.id, name: people.displayName })
    .from(people)
    .where(inArray(people.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Who holds an employee number (unique across people), or null. */
export async function employeeNumberHolder(db: Db, employeeNumber: string): Promise<string | null> {
  const [row] = await db
    .select({ id: people.id })
    .from(people)
    .where(eq(people.employeeNumber, employeeNumber))
    .limit(1);
  return row ? row.id : null;
}

/** Bind a provisioned person to their IdP identity; false if a concurrent sign-in already did. */
export async function linkPerson(db: Db, id: string, issuer: string, subject: string): Promise<boolean> {
  const rows = await db
    .update(people)
    .set({ issuer, subject })
    .where(and(eq(people.id, id), sql`${people.issuer} is null`))
    .returning({ id: people.id });
  return rows.length === 1;
}

export interface NewSession {
  tokenHash: string;
  personId: string;
  role: Role;
  scope: Scope;
  amr: string[];
  acr: string | null;
  authTime: Date | null;
  mfaAt: Date | null;
  kind?: 'sso' | 'break_glass';
  breakGlassUseId?: string | null;
  idpSid: string | null;
  claimsModelVersion: number | null;
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

/**
 * The session a cookie names — by its current token, or by the token it had just before a rotation (for a
 * few seconds, so requests already in flight survive) — with its person and the active claims-model version.
 */
export async function findSessionByToken(db: Db, tokenHash: string, now: Date) {
  const [row] = await db
    .select({
      session: sessions,
      person: people,
      activeModelVersion: sql<number>`(select version from claims_models where status = 'active')`,
    })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(
      or(
        eq(sessions.tokenHash, tokenHash),
        and(eq(sessions.previousTokenHash, tokenHash), gt(sessions.previousValidUntil, now)),
      ),
    )
    .limit(1);
  return row ?? null;
}

export async function findPersonById(db: Db, id: string) {
  const [row] = await db.select().from(people).where(eq(people.id, id)).limit(1);
  return row ?? null;
}

export async function findPeopleByEmail(db: Db, issuer: string, email: string) {
  return db
    .select()
    .from(people)
    .where(and(eq(people.issuer, issuer), sql`lower(${people.email}) = lower(${email})`))
    .limit(5);
}

/**
 * Replace the session token (rotation) — only if it is still the one we read, so two concurrent requests
 * cannot rotate twice. The old token stays valid until `previousValidUntil`. Returns false if we lost the race.
 */
export async function rotateSessionToken(
  db: Db,
  id: string,
  fromHash: string,
  toHash: string,
  previousValidUntil: Date,
  patch: Partial<
    Pick<
      SessionRow,
      | 'role'
      | 'scope'
      | 'claimsModelVersion'
      | 'idleExpiresAt'
      | 'amr'
      | 'acr'
      | 'authTime'
      | 'mfaAt'
      | 'idToken'
      | 'idpSid'
    >
  > = {},
): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ ...patch, tokenHash: toHash, previousTokenHash: fromHash, previousValidUntil })
    .where(and(eq(sessions.id, id), eq(sessions.tokenHash, fromHash)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

export async function updateSession(
  db: Db,
  id: string,
  patch: Partial<Pick<SessionRow, 'role' | 'scope' | 'claimsModelVersion' | 'idleExpiresAt'>>,
) {
  await db.update(sessions).set(patch).where(eq(sessions.id, id));
}

/** A person's live sessions, most recently active first. */
export async function listSessionsOfPerson(db: Db, personId: string, now: Date) {
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.personId, personId),
        gt(sessions.absoluteExpiresAt, now),
        gt(sessions.idleExpiresAt, now),
      ),
    )
    .orderBy(desc(sessions.lastSeenAt))
    .limit(100);
}

/** Every live session, newest activity first, with whose it is (admin view). */
export async function listAllSessions(db: Db, now: Date, limit: number, personId?: string) {
  return db
    .select({ session: sessions, personName: people.displayName, personEmail: people.email })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(
      and(
        gt(sessions.absoluteExpiresAt, now),
        gt(sessions.idleExpiresAt, now),
        personId ? eq(sessions.personId, personId) : undefined,
      ),
    )
    .orderBy(desc(sessions.lastSeenAt))
    .limit(limit);
}

/** A session by id; with `ownerId`, only if it is that person's (another person's id finds nothing). */
export async function findSessionById(db: Db, id: string, ownerId?: string) {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), ownerId ? eq(sessions.personId, ownerId) : undefined))
    .limit(1);
  return row ?? null;
}

export async function deleteSessionsOfPerson(db: Db, personId: string) {
  return db
    .delete(sessions)
    .where(eq(sessions.personId, personId))
    .returning({ id: sessions.id, personId: sessions.personId });
}

export async function deleteSessionsByIdpSid(db: Db, personId: string, sid: string) {
  return db
    .delete(sessions)
    .where(and(eq(sessions.personId, personId), eq(sessions.idpSid, sid)))
    .returning({ id: sessions.id, personId: sessions.personId });
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
  stepUpSessionId: string | null;
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

/** Back-channel logout naming only an IdP session id (no subject). */
export async function deleteSessionsBySidOnly(db: Db, sid: string) {
  return db
    .delete(sessions)
    .where(eq(sessions.idpSid, sid))
    .returning({ id: sessions.id, personId: sessions.personId });
}
