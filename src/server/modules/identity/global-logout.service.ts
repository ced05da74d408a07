import { createRemoteJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { audit } from '../audit/audit.service.ts';
import { activeModel } from '../claims-model/claims-model.service.ts';
import { revokeAllTokensOfPerson } from '../tokens/tokens.service.ts';
import type { RequestContext } from './actor.ts';
import { countGlobalLogout } from './identity.metrics.ts';
import type { OidcClient } from './identity.oidc.ts';
import * as repo from './identity.repo.ts';
import { consumeJti } from './jti.repo.ts';
import { auditEndedSessions } from './session.service.ts';

export interface GlobalLogoutDeps {
  db: Db;
  oidc: OidcClient;
  config: Pick<Config, 'publicUrl' | 'universalLogoutIssuer'>;
  now: () => Date;
}

export const UNIVERSAL_LOGOUT_PATH = '/auth/universal-logout';
export const BACKCHANNEL_LOGOUT_PATH = '/auth/backchannel-logout';
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** A refused logout token: 401 (bad credential) or 400 (malformed request), audited as a failure. */
export class LogoutTokenError extends AppError {
  constructor(status: 400 | 401, detail: string) {
    super(status, status === 401 ? 'Unauthorized' : 'Invalid request', detail);
  }
}

// One remote key set per JWKS URL: jose caches keys and refetches (rate-limited) when an unknown kid arrives,
// which is how an IdP's key rotation reaches us.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function keySet(uri: string) {
  let set = keySets.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    keySets.set(uri, set);
  }
  return set;
}

// Another issuer's key set URL (Universal Logout from Okta's org authorization server), from its discovery.
const discovered = new Map<string, { jwksUri: string; at: number }>();
async function jwksUriOf(issuer: string): Promise<string | null> {
  const cached = discovered.get(issuer);
  if (cached && Date.now() - cached.at < 60 * 60_000) return cached.jwksUri;
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) return null;
  const meta = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (meta.issuer !== issuer || typeof meta.jwks_uri !== 'string') return null;
  discovered.set(issuer, { jwksUri: meta.jwks_uri, at: Date.now() });
  return meta.jwks_uri;
}

async function verify(
  deps: GlobalLogoutDeps,
  token: string,
  audience: string,
  expectTyp: string | null,
  otherIssuer?: string,
) {
  const { spec } = await activeModel(deps.db);
  const issuer = otherIssuer ?? spec.issuer;
  const jwksUri = await (issuer === spec.issuer ? deps.oidc.jwksUri() : jwksUriOf(issuer)).catch(() => null);
  if (!jwksUri)
    throw new AppError(
      503,
      'Service unavailable',
      "The identity provider's keys cannot be fetched right now.",
    );
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new LogoutTokenError(401, 'The logout token is not a JWT.');
  }
  // typ may carry the media-type prefix (application/logout+jwt); both spellings name the same type.
  const typ = header.typ?.toLowerCase().replace(/^application\//, '');
  if (expectTyp && typ !== undefined && typ !== expectTyp) {
    throw new LogoutTokenError(401, `The logout token has typ ${String(header.typ)}, expected ${expectTyp}.`);
  }
  try {
    const { payload } = await jwtVerify(token, keySet(jwksUri), {
      issuer,
      audience,
      algorithms: [...spec.algorithms],
      clockTolerance: spec.clockSkewSeconds,
      currentDate: deps.now(),
      requiredClaims: ['iat', 'jti'],
      maxTokenAge: '10 minutes',
    });
    // Subjects are always those of the sign-in issuer (sub_id.iss names it).
    return { payload, issuer: spec.issuer, signedBy: issuer };
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'ERR_JWT_INVALID';
    throw new LogoutTokenError(401, `The logout token was rejected (${code}).`);
  }
}

async function refuse(
  deps: GlobalLogoutDeps,
  ctx: RequestContext,
  mechanism: 'universal_logout' | 'backchannel_logout',
  err: unknown,
) {
  const reason = err instanceof Error ? err.message.slice(0, 300) : 'rejected';
  await deps.db.transaction((tx) =>
    audit(tx, ctx, {
      action: 'auth.global_logout',
      outcome: 'failure',
      targetId: null,
      details: { mechanism, sessionsEnded: 0, tokensRevoked: 0, reason },
    }),
  );
}

async function replayGuard(tx: Db, issuer: string, payload: JWTPayload, now: Date) {
  const expires = new Date(((payload.exp ?? (payload.iat ?? 0) + 600) + 60) * 1000);
  if (
    !(await consumeJti(
      tx,
      `${issuer}|${String(payload.jti)}`,
      expires > now ? expires : new Date(now.getTime() + 600_000),
    ))
  ) {
    throw new LogoutTokenError(401, 'This logout token was already used.');
  }
}

export const UniversalLogoutBody = z.looseObject({
  sub_id: z.discriminatedUnion('format', [
    z.looseObject({
      format: z.literal('iss_sub'),
      iss: z.string().max(500),
      sub: z.string().min(1).max(255),
    }),
    z.looseObject({ format: z.literal('email'), email: z.email().max(320) }),
  ]),
});

/**
 * Okta Universal Logout: the IdP POSTs a subject with a JWT it signed (aud = this endpoint). Every session and
 * API token of that person ends. Unknown subjects answer 204 too (nothing to end; no account enumeration).
 */
export async function universalLogout(
  deps: GlobalLogoutDeps,
  ctx: RequestContext,
  bearer: string | null,
  body: z.infer<typeof UniversalLogoutBody>,
): Promise<void> {
  try {
    if (!bearer) throw new LogoutTokenError(401, 'Send the signed JWT as Authorization: Bearer.');
    const { payload, issuer, signedBy } = await verify(
      deps,
      bearer,
      `${deps.config.publicUrl}${UNIVERSAL_LOGOUT_PATH}`,
      null,
      deps.config.universalLogoutIssuer,
    );
    const subject = body.sub_id;
    // Okta names the user by the org issuer or the sign-in issuer; the user id (sub) is the same in both.
    if (subject.format === 'iss_sub' && subject.iss !== issuer && subject.iss !== signedBy) {
      throw new LogoutTokenError(400, 'sub_id.iss is not the trusted issuer.');
    }
    const people =
      subject.format === 'iss_sub'
        ? [await repo.findPersonByIssuerSubject(deps.db, issuer, subject.sub)].filter((p) => p !== null)
        : await repo.findPeopleByEmail(deps.db, issuer, subject.email);
    await deps.db.transaction(async (tx) => {
      await replayGuard(tx, issuer, payload, deps.now());
      let sessionsEnded = 0;
      let tokensRevoked = 0;
      for (const person of people) {
        const ended = await repo.deleteSessionsOfPerson(tx, person.id);
        await auditEndedSessions(tx, ctx, ended, 'universal_logout');
        sessionsEnded += ended.length;
        tokensRevoked += await revokeAllTokensOfPerson(tx, ctx, person.id, 'universal logout');
      }
      await audit(tx, ctx, {
        action: 'auth.global_logout',
        targetId: people[0]?.id ?? null,
        details: {
          mechanism: 'universal_logout',
          sessionsEnded,
          tokensRevoked,
          jti: String(payload.jti).slice(0, 200),
        },
      });
    });
    countGlobalLogout('universal_logout');
  } catch (err) {
    if (err instanceof LogoutTokenError) await refuse(deps, ctx, 'universal_logout', err);
    throw err;
  }
}

/** OIDC Back-Channel Logout 1.0: end the sessions the logout token names (by sid, or every one of sub). */
export async function backchannelLogout(
  deps: GlobalLogoutDeps,
  ctx: RequestContext,
  logoutToken: string,
): Promise<void> {
  try {
    const { payload, issuer } = await verify(deps, logoutToken, deps.oidc.settings.clientId, 'logout+jwt');
    const events = payload.events as Record<string, unknown> | undefined;
    if (!events || typeof events !== 'object' || typeof events[BACKCHANNEL_EVENT] !== 'object') {
      throw new LogoutTokenError(400, 'The logout token has no back-channel logout event.');
    }
    if ('nonce' in payload) throw new LogoutTokenError(400, 'A logout token must not carry a nonce.');
    const sid = typeof payload.sid === 'string' ? payload.sid : null;
    if (!payload.sub && !sid) throw new LogoutTokenError(400, 'The logout token names neither sub nor sid.');
    await deps.db.transaction(async (tx) => {
      await replayGuard(tx, issuer, payload, deps.now());
      const person = payload.sub ? await repo.findPersonByIssuerSubject(tx, issuer, payload.sub) : null;
      let ended: { id: string; personId: string }[] = [];
      if (person && sid) ended = await repo.deleteSessionsByIdpSid(tx, person.id, sid);
      else if (person) ended = await repo.deleteSessionsOfPerson(tx, person.id);
      else if (sid && !payload.sub) ended = await repo.deleteSessionsBySidOnly(tx, sid);
      await auditEndedSessions(tx, ctx, ended, 'backchannel_logout');
      await audit(tx, ctx, {
        action: 'auth.global_logout',
        targetId: person?.id ?? ended[0]?.personId ?? null,
        details: {
          mechanism: 'backchannel_logout',
          sessionsEnded: ended.length,
          tokensRevoked: 0,
          jti: String(payload.jti).slice(0, 200),
        },
      });
    });
    countGlobalLogout('backchannel_logout');
  } catch (err) {
    if (!(err instanceof LogoutTokenError)) throw err;
    await refuse(deps, ctx, 'backchannel_logout', err);
    // Back-Channel Logout 1.0 §2.8: any invalid logout token is answered 400 Bad Request.
    throw err.status === 400 ? err : new LogoutTokenError(400, err.message);
  }
}
