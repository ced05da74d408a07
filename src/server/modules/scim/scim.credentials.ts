import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import {
  SCIM_CREDENTIAL_MAX_ACTIVE,
  type ScimCredentialIssued,
  type ScimCredentialSummary,
} from '../../../contract/api/scim.ts';
import type { Db } from '../../db/client.ts';
import { scimCredentials } from '../../db/schema.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { audit } from '../audit/audit.service.ts';
import { markSourceSynced } from '../directory/org.core.ts';
import type { RequestContext } from '../identity/actor.ts';
import { hashToken, newToken } from '../identity/identity.tokens.ts';

/**
 * The identity provider's bearer credential for /scim/v2: its own table and format (`bi_scim_…`), stored as a
 * SHA-256 hash with a visible prefix, never accepted anywhere else — and user API tokens are never accepted
 * here. Rotation: create a second credential, switch the IdP to it, revoke the first.
 */
export type CredentialRow = typeof scimCredentials.$inferSelect;

const TOKEN_FORMAT = /^bi_scim_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 13;
/** Last use (and the SCIM source's "last heard from") is written at most this often. */
const TOUCH_INTERVAL_MS = 60_000;
const LOCK_KEY = 4_217_730_011;

function summaryOf(row: CredentialRow): ScimCredentialSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    status: row.status,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listCredentials(db: Db): Promise<ScimCredentialSummary[]> {
  const rows = await db.select().from(scimCredentials).orderBy(asc(scimCredentials.createdAt));
  return rows.map(summaryOf);
}

/** A new active credential; the token is in this answer only. Names are unique among active credentials. */
export async function createCredential(
  db: Db,
  ctx: RequestContext,
  name: string,
  now: Date,
): Promise<ScimCredentialIssued> {
  const token = `bi_scim_${newToken()}`;
  const prefix = token.slice(0, PREFIX_LENGTH);
  const row = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    const active = await tx.select().from(scimCredentials).where(eq(scimCredentials.status, 'active'));
    if (active.some((c) => c.name.toLowerCase() === name.toLowerCase()))
      throw new ConflictError(`An active SCIM credential is already named "${name}". Choose another name.`);
    if (active.length >= SCIM_CREDENTIAL_MAX_ACTIVE)
      throw new ConflictError(
        `There are already ${SCIM_CREDENTIAL_MAX_ACTIVE} active SCIM credentials. Revoke one you no longer use.`,
      );
    const [inserted] = await tx
      .insert(scimCredentials)
      .values({
        name,
        prefix,
        tokenHash: hashToken(token),
        status: 'active',
        createdBy: ctx.actor?.personId ?? null,
        createdAt: now,
      })
      .returning();
    if (!inserted) throw new Error('insert scim_credentials returned no row');
    await audit(tx, ctx, {
      action: 'scim.credential.created',
      targetId: inserted.id,
      details: { name, prefix },
    });
    return inserted;
  });
  return { ...summaryOf(row), token };
}

/** Revoke by id (admin API) or by the name of an active credential (CLI). Takes effect on the next request. */
export async function revokeCredential(
  db: Db,
  ctx: RequestContext,
  which: { id: string } | { name: string },
  now: Date,
): Promise<ScimCredentialSummary> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(scimCredentials)
      .where(
        'id' in which
          ? eq(scimCredentials.id, which.id)
          : and(
              sql`lower(${scimCredentials.name}) = lower(${which.name})`,
              eq(scimCredentials.status, 'active'),
            ),
      )
      .limit(1)
      .for('update');
    if (!row) throw new NotFoundError('active SCIM credential');
    if (row.status === 'revoked') throw new ConflictError('This SCIM credential is already revoked.');
    const [updated] = await tx
      .update(scimCredentials)
      .set({ status: 'revoked', revokedAt: now })
      .where(eq(scimCredentials.id, row.id))
      .returning();
    if (!updated) throw new Error('update scim_credentials returned no row');
    await audit(tx, ctx, {
      action: 'scim.credential.revoked',
      targetId: row.id,
      details: { name: row.name, prefix: row.prefix },
    });
    return summaryOf(updated);
  });
}

export type ScimAuth =
  | { ok: true; credential: { id: string; name: string; prefix: string } }
  | {
      ok: false;
      reason: 'missing' | 'unknown' | 'revoked';
      prefix: string | null;
      credentialId: string | null;
    };

/**
 * The credential a bearer token names (by its hash). A successful use is recorded at most once a minute, and
 * then also counts as the SCIM source having been heard from (org source freshness).
 */
export async function authenticate(db: Db, raw: string | null, now: Date): Promise<ScimAuth> {
  if (!raw) return { ok: false, reason: 'missing', prefix: null, credentialId: null };
  // Only something shaped like our credential gets its prefix into the audit trail (never arbitrary input).
  if (!TOKEN_FORMAT.test(raw)) return { ok: false, reason: 'unknown', prefix: null, credentialId: null };
  const prefix = raw.slice(0, PREFIX_LENGTH);
  const [row] = await db
    .select()
    .from(scimCredentials)
    .where(eq(scimCredentials.tokenHash, hashToken(raw)))
    .limit(1);
  if (!row) return { ok: false, reason: 'unknown', prefix, credentialId: null };
  if (row.status !== 'active') return { ok: false, reason: 'revoked', prefix, credentialId: row.id };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    await db.transaction(async (tx) => {
      const touched = await tx
        .update(scimCredentials)
        .set({ lastUsedAt: now })
        .where(
          and(
            eq(scimCredentials.id, row.id),
            or(
              isNull(scimCredentials.lastUsedAt),
              lte(scimCredentials.lastUsedAt, new Date(now.getTime() - TOUCH_INTERVAL_MS)),
            ),
          ),
        )
        .returning({ id: scimCredentials.id });
      if (touched.length > 0) await markSourceSynced(tx, 'scim', now);
    });
  }
  return { ok: true, credential: { id: row.id, name: row.name, prefix: row.prefix } };
}

/** A refused SCIM request, audited (the per-credential or per-IP rate limit bounds how many). */
export async function recordAuthFailure(
  db: Db,
  ctx: RequestContext,
  failure: Extract<ScimAuth, { ok: false }>,
) {
  await db.transaction(async (tx) => {
    await audit(tx, ctx, {
      action: 'scim.auth.failed',
      outcome: 'failure',
      targetId: failure.credentialId,
      details: { reason: failure.reason, prefix: failure.prefix },
    });
  });
}
