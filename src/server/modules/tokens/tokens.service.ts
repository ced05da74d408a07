import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type ApiTokenIssued,
  type ApiTokenPage,
  type ApiTokenSummary,
  TOKEN_MAX_OPEN_PER_PERSON,
  type TokenAdminListQuery,
  type TokenCreate,
  type TokenListQuery,
  type TokenRequestCreate,
} from '../../../contract/api/tokens.ts';
import type { Db } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../db/cursor.ts';
import { people } from '../../db/schema.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { TokenAuthenticator } from '../../plugins/actor.ts';
import { requireActor } from '../../plugins/types.ts';
import { effectiveAccessFor } from '../access/entitlements.service.ts';
import { filterGroups } from '../access/groups.ts';
import { audit } from '../audit/audit.service.ts';
import { activeModel } from '../claims-model/claims-model.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { hashToken, newToken } from '../identity/identity.tokens.ts';
import {
  authorizeDecision,
  authorizeTokens,
  checkRateLimitForKind,
  checkScopesForRole,
  effectiveScopes,
  ownsToken,
} from './tokens.policy.ts';
import * as repo from './tokens.repo.ts';

export interface TokenDeps {
  db: Db;
  now: () => Date;
}

const DAY_MS = 86_400_000;
/** Last use is written at most this often per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;
/** The visible start of a token (`bi_pat_` or `bi_svc_` and five random characters). */
const PREFIX_LENGTH = 12;
const TOKEN_FORMAT = /^bi_(pat|svc)_[A-Za-z0-9_-]{43}$/;

type Kind = repo.TokenRow['kind'];

/** A fresh secret: only its hash and visible prefix are stored; the caller shows it once. */
function mintToken(kind: Kind) {
  const token = `${kind === 'personal' ? 'bi_pat_' : 'bi_svc_'}${newToken()}`;
  return { token, prefix: token.slice(0, PREFIX_LENGTH), tokenHash: hashToken(token) };
}

function detailsOf(row: repo.TokenRow) {
  return {
    tokenId: row.id,
    kind: row.kind,
    name: row.name,
    scopes: row.scopes,
    rateLimitPerMinute: row.rateLimitPerMinute,
  };
}

async function summaryOf(db: Db, id: string): Promise<ApiTokenSummary> {
  const summary = await repo.findTokenSummary(db, id);
  if (!summary) throw new NotFoundError('API token');
  return summary;
}

/** Serializes token creation per person, so the allowance check cannot be raced. */
async function lockOwnerAllowance(tx: Db, ownerId: string, now: Date) {
  await tx.select({ id: people.id }).from(people).where(eq(people.id, ownerId)).for('update');
  if ((await repo.countOpenTokens(tx, ownerId, now)) >= TOKEN_MAX_OPEN_PER_PERSON) {
    throw new ConflictError(
      `You already hold ${TOKEN_MAX_OPEN_PER_PERSON} open API tokens or requests. Revoke one you no longer use.`,
    );
  }
}

function page(items: ApiTokenSummary[], hasMore: boolean): ApiTokenPage {
  const last = items.at(-1);
  return { items, nextCursor: hasMore && last ? encodeCursor(new Date(last.createdAt), last.id) : null };
}

export async function listMyTokens(
  deps: TokenDeps,
  ctx: RequestContext,
  query: z.output<typeof TokenListQuery>,
): Promise<ApiTokenPage> {
  const actor = requireActor(ctx);
  authorizeTokens(actor, 'manage_own');
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { items, hasMore } = await repo.listTokens(
    deps.db,
    { ownerId: actor.personId },
    { limit: query.limit, after },
  );
  return page(items, hasMore);
}

/** A personal token, active at once, shown once. Its scopes must fit the person's current role. */
export async function createPersonalToken(
  deps: TokenDeps,
  ctx: RequestContext,
  input: z.output<typeof TokenCreate>,
): Promise<ApiTokenIssued> {
  const actor = requireActor(ctx);
  authorizeTokens(actor, 'manage_own');
  checkScopesForRole(actor.role, input.scopes);
  const rateLimitPerMinute = input.rateLimitPerMinute ?? null;
  checkRateLimitForKind('personal', rateLimitPerMinute);
  const now = deps.now();
  const minted = mintToken('personal');
  const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY_MS);
  const row = await deps.db.transaction(async (tx) => {
    await lockOwnerAllowance(tx, actor.personId, now);
    const inserted = await repo.insertToken(tx, {
      kind: 'personal',
      ownerId: actor.personId,
      name: input.name,
      scopes: input.scopes,
      status: 'active',
      prefix: minted.prefix,
      tokenHash: minted.tokenHash,
      lifetimeDays: input.expiresInDays,
      rateLimitPerMinute,
      createdAt: now,
      expiresAt,
    });
    await audit(tx, ctx, {
      action: 'api_token.created',
      targetId: inserted.id,
      details: { ...detailsOf(inserted), expiresAt: expiresAt.toISOString() },
    });
    return inserted;
  });
  return { ...(await summaryOf(deps.db, row.id)), token: minted.token };
}

/** A service token request: no secret exists until an admin approves and the requester issues it. */
export async function requestServiceToken(
  deps: TokenDeps,
  ctx: RequestContext,
  input: z.output<typeof TokenRequestCreate>,
): Promise<ApiTokenSummary> {
  const actor = requireActor(ctx);
  authorizeTokens(actor, 'manage_own');
  checkScopesForRole(actor.role, input.scopes);
  const now = deps.now();
  const row = await deps.db.transaction(async (tx) => {
    await lockOwnerAllowance(tx, actor.personId, now);
    const inserted = await repo.insertToken(tx, {
      kind: 'service',
      ownerId: actor.personId,
      name: input.name,
      scopes: input.scopes,
      status: 'requested',
      lifetimeDays: input.expiresInDays,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      justification: input.justification,
      createdAt: now,
    });
    await audit(tx, ctx, {
      action: 'api_token.requested',
      targetId: inserted.id,
      details: { ...detailsOf(inserted), justification: input.justification },
    });
    return inserted;
  });
  return summaryOf(deps.db, row.id);
}

/** An approved service token must be collected within this many days (an approval is not open-ended). */
export const APPROVAL_VALID_DAYS = 7;

/** The requester collects an approved service token: shown once, active from now for its lifetime. */
export async function issueServiceToken(
  deps: TokenDeps,
  ctx: RequestContext,
  id: string,
): Promise<ApiTokenIssued> {
  const actor = requireActor(ctx);
  authorizeTokens(actor, 'manage_own');
  const now = deps.now();
  const minted = mintToken('service');
  await deps.db.transaction(async (tx) => {
    const row = await repo.lockToken(tx, id);
    if (!row || !ownsToken(actor, row)) throw new NotFoundError('API token');
    if (row.kind !== 'service')
      throw new ConflictError('Only service tokens are issued; personal tokens are active at once.');
    if (row.status !== 'approved') {
      throw new ConflictError(
        row.status === 'requested'
          ? 'This request is waiting for an admin’s approval.'
          : `This token cannot be issued: it is ${row.status}.`,
      );
    }
    if (row.decidedAt && now.getTime() - row.decidedAt.getTime() > APPROVAL_VALID_DAYS * DAY_MS) {
      throw new ConflictError(
        `This approval is older than ${APPROVAL_VALID_DAYS} days and can no longer be collected. Request the token again.`,
      );
    }
    const expiresAt = new Date(now.getTime() + row.lifetimeDays * DAY_MS);
    const updated = await repo.updateToken(tx, row.id, {
      status: 'active',
      prefix: minted.prefix,
      tokenHash: minted.tokenHash,
      expiresAt,
    });
    await audit(tx, ctx, {
      action: 'api_token.issued',
      targetId: row.id,
      details: { ...detailsOf(updated), expiresAt: expiresAt.toISOString() },
    });
  });
  return { ...(await summaryOf(deps.db, id)), token: minted.token };
}

/**
 * Revoke a token: by its owner (`self`, someone else's token is 404) or by an admin (`admin`, any token). A
 * pending request can be withdrawn the same way. The token stops working on its next use.
 */
export async function revokeToken(
  deps: TokenDeps,
  ctx: RequestContext,
  id: string,
  as: 'self' | 'admin',
  reason: string | undefined,
): Promise<ApiTokenSummary> {
  const actor = requireActor(ctx);
  authorizeTokens(actor, as === 'admin' ? 'administer' : 'manage_own');
  const now = deps.now();
  const why = reason || (as === 'admin' ? 'Revoked by an admin' : 'Revoked by its owner');
  await deps.db.transaction(async (tx) => {
    const row = await repo.lockToken(tx, id);
    if (!row || (as === 'self' && !ownsToken(actor, row))) throw new NotFoundError('API token');
    if (row.status === 'revoked' || row.status === 'rejected') {
      throw new ConflictError(`This token is already ${row.status}.`);
    }
    const updated = await repo.updateToken(tx, row.id, {
      status: 'revoked',
      revokedAt: now,
      revokedBy: actor.personId,
      revokeReason: why,
    });
    await audit(tx, ctx, {
      action: 'api_token.revoked',
      targetId: row.id,
      details: { ...detailsOf(updated), reason: why },
    });
  });
  return summaryOf(deps.db, id);
}

/** An admin other than the requester approves or rejects a service token request. */
export async function decideServiceToken(
  deps: TokenDeps,
  ctx: RequestContext,
  id: string,
  decision: 'approved' | 'rejected',
  note: string,
): Promise<ApiTokenSummary> {
  const actor = requireActor(ctx);
  authorizeTokens(actor, 'administer');
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const row = await repo.lockToken(tx, id);
    if (!row) throw new NotFoundError('API token');
    authorizeDecision(actor, row);
    if (row.status !== 'requested') throw new ConflictError(`This request is already ${row.status}.`);
    const updated = await repo.updateToken(tx, row.id, {
      status: decision,
      decidedBy: actor.personId,
      decidedAt: now,
      decisionNote: note,
    });
    await audit(tx, ctx, {
      action: 'api_token.decided',
      targetId: row.id,
      details: { ...detailsOf(updated), decision, note },
    });
  });
  return summaryOf(deps.db, id);
}

export async function adminListTokens(
  deps: TokenDeps,
  ctx: RequestContext,
  query: z.output<typeof TokenAdminListQuery>,
): Promise<ApiTokenPage> {
  authorizeTokens(requireActor(ctx), 'administer');
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { items, hasMore } = await repo.listTokens(
    deps.db,
    { status: query.status, kind: query.kind },
    { limit: query.limit, after },
  );
  return page(items, hasMore);
}

/**
 * Revoke every active and approved token of a person, in the caller's transaction, with an audit event each
 * (global logout, deactivation). Returns how many were revoked.
 */
export async function revokeAllTokensOfPerson(
  tx: Db,
  ctx: RequestContext,
  personId: string,
  reason: string,
): Promise<number> {
  const revoked = await repo.revokeTokensOfPerson(tx, personId, {
    revokedAt: new Date(),
    revokedBy: ctx.actor?.personId ?? null,
    revokeReason: reason,
  });
  for (const row of revoked) {
    await audit(tx, ctx, {
      action: 'api_token.revoked',
      targetId: row.id,
      details: { ...detailsOf(row), reason },
    });
  }
  return revoked.length;
}

/**
 * Bearer token → actor, computed on every request (no cache): the token must be active and unexpired, its
 * owner not deactivated and still entitled under the active claims model. The actor carries the owner's
 * CURRENT role and scope, and only the token scopes that role still allows — a role change applies at once.
 */
export function tokenAuthenticator(deps: TokenDeps): TokenAuthenticator {
  return {
    async resolve(rawToken, ctx) {
      if (!TOKEN_FORMAT.test(rawToken)) return null;
      const found = await repo.findTokenByHash(deps.db, hashToken(rawToken));
      if (!found) return null;
      const { token, person } = found;
      const now = deps.now();
      if (token.status !== 'active' || !token.expiresAt || token.expiresAt <= now) return null;
      if (person.status === 'deactivated') return null;
      const model = (await activeModel(deps.db)).spec;
      const groups = filterGroups(person.groups, model.groupFilter);
      const { access } = await effectiveAccessFor(deps.db, { ...person, groups }, now);
      if (!access) return null;
      if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
        await repo.touchToken(deps.db, token.id, now, ctx.ip, TOUCH_INTERVAL_MS);
      }
      const actor: Actor = {
        personId: person.id,
        name: person.displayName,
        email: person.email,
        team: person.team,
        role: access.role,
        scope: access.scope,
        sessionId: null,
        amr: [],
        via: 'token',
        mfaAt: null,
        tokenId: token.id,
        tokenScopes: effectiveScopes(access.role, token.scopes),
        tokenRateLimit:
          token.rateLimitPerMinute === null
            ? null
            : { perMinute: token.rateLimitPerMinute, mayRaise: token.kind === 'service' },
      };
      return actor;
    },

    async refused(ctx, actor, needed, method, route) {
      if (!actor.tokenId) return;
      const tokenId = actor.tokenId;
      await deps.db.transaction(async (tx) => {
        await audit(tx, ctx, {
          action: 'api_token.refused',
          outcome: 'failure',
          targetId: tokenId,
          details: { tokenId, needed, method, route },
        });
      });
    },
  };
}
