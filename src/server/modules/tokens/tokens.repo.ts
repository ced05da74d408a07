import { and, count, desc, eq, gt, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ApiTokenSummary } from '../../../contract/api/tokens.ts';
import type { Db } from '../../db/client.ts';
import { apiTokens, people } from '../../db/schema.ts';

export type TokenRow = typeof apiTokens.$inferSelect;
export type NewTokenRow = typeof apiTokens.$inferInsert;
export type TokenStatus = TokenRow['status'];

/** The token a bearer credential names (by its hash), with its owner as they are now. */
export async function findTokenByHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({ token: apiTokens, person: people })
    .from(apiTokens)
    .innerJoin(people, eq(people.id, apiTokens.ownerId))
    .where(eq(apiTokens.tokenHash, tokenHash))
    .limit(1);
  return row ?? null;
}

/** Record a use, at most once per interval: the condition keeps concurrent requests from all writing. */
export async function touchToken(db: Db, id: string, now: Date, ip: string, intervalMs: number) {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now, lastUsedIp: ip })
    .where(
      and(
        eq(apiTokens.id, id),
        or(isNull(apiTokens.lastUsedAt), lte(apiTokens.lastUsedAt, new Date(now.getTime() - intervalMs))),
      ),
    );
}

export async function insertToken(tx: Db, row: NewTokenRow): Promise<TokenRow> {
  const [inserted] = await tx.insert(apiTokens).values(row).returning();
  if (!inserted) throw new Error('insert api_tokens returned no row');
  return inserted;
}

/** The row, locked until the transaction ends, so two decisions on one token cannot both win. */
export async function lockToken(tx: Db, id: string): Promise<TokenRow | null> {
  const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1).for('update');
  return row ?? null;
}

export async function updateToken(tx: Db, id: string, patch: Partial<NewTokenRow>): Promise<TokenRow> {
  const [row] = await tx.update(apiTokens).set(patch).where(eq(apiTokens.id, id)).returning();
  if (!row) throw new Error('update api_tokens returned no row');
  return row;
}

/** Tokens that still count against a person's allowance: pending, approved, or active and unexpired. */
export async function countOpenTokens(db: Db, ownerId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.ownerId, ownerId),
        or(
          inArray(apiTokens.status, ['requested', 'approved']),
          and(eq(apiTokens.status, 'active'), gt(apiTokens.expiresAt, now)),
        ),
      ),
    );
  return Number(row?.n ?? 0);
}

/** Revoke every active or approved token of a person (global logout); returns the revoked rows. */
export async function revokeTokensOfPerson(
  tx: Db,
  personId: string,
  patch: { revokedAt: Date; revokedBy: string | null; revokeReason: string },
): Promise<TokenRow[]> {
  return tx
    .update(apiTokens)
    .set({ ...patch, status: 'revoked' })
    .where(and(eq(apiTokens.ownerId, personId), inArray(apiTokens.status, ['active', 'approved'])))
    .returning();
}

const owner = alias(people, 'owner');
const decider = alias(people, 'decider');

function summaryQuery(db: Db) {
  return db
    .select({ token: apiTokens, ownerName: owner.displayName, deciderName: decider.displayName })
    .from(apiTokens)
    .innerJoin(owner, eq(owner.id, apiTokens.ownerId))
    .leftJoin(decider, eq(decider.id, apiTokens.decidedBy));
}

type SummaryRow = { token: TokenRow; ownerName: string; deciderName: string | null };

function toSummary({ token: t, ownerName, deciderName }: SummaryRow): ApiTokenSummary {
  return {
    id: t.id,
    kind: t.kind,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes as ApiTokenSummary['scopes'],
    status: t.status,
    owner: { id: t.ownerId, name: ownerName },
    lifetimeDays: t.lifetimeDays,
    justification: t.justification,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    decidedBy: t.decidedBy ? { id: t.decidedBy, name: deciderName ?? 'Unknown' } : null,
    decidedAt: t.decidedAt?.toISOString() ?? null,
    decisionNote: t.decisionNote,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    revokeReason: t.revokeReason,
    rateLimitPerMinute: t.rateLimitPerMinute,
  };
}

export async function findTokenSummary(db: Db, id: string): Promise<ApiTokenSummary | null> {
  const [row] = await summaryQuery(db).where(eq(apiTokens.id, id)).limit(1);
  return row ? toSummary(row) : null;
}

export interface TokenFilters {
  ownerId?: string | undefined;
  status?: TokenStatus | undefined;
  kind?: TokenRow['kind'] | undefined;
}

/** One page, newest first, keyset-paginated on (created_at, id); one extra row tells whether more exist. */
export async function listTokens(
  db: Db,
  filters: TokenFilters,
  page: { limit: number; after: { at: Date; id: string } | null },
) {
  const where: SQL[] = [];
  if (filters.ownerId) where.push(eq(apiTokens.ownerId, filters.ownerId));
  if (filters.status) where.push(eq(apiTokens.status, filters.status));
  if (filters.kind) where.push(eq(apiTokens.kind, filters.kind));
  if (page.after) {
    where.push(
      sql`(${apiTokens.createdAt}, ${apiTokens.id}) < (${page.after.at.toISOString()}::timestamptz, ${page.after.id}::uuid)`,
    );
  }
  const rows = await summaryQuery(db)
    .where(and(...where))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(page.limit + 1);
  return { items: rows.slice(0, page.limit).map(toSummary), hasMore: rows.length > page.limit };
}
