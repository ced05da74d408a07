import { z } from 'zod';
import type { SignInFailureReason } from '../../../contract/audit-events.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { Role } from '../../../contract/roles.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { deriveAccess } from '../access/access.policy.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from './actor.ts';
import { type OidcClient, OidcError } from './identity.oidc.ts';
import * as repo from './identity.repo.ts';
import { hashToken, newToken } from './identity.tokens.ts';

export interface IdentityDeps {
  db: Db;
  oidc: OidcClient;
  config: Pick<Config, 'session' | 'access'>;
  now: () => Date;
}

const FLOW_TTL_MS = 10 * 60 * 1000;
/** A session's last-seen time is written at most this often (not on every request). */
const TOUCH_INTERVAL_MS = 60 * 1000;

/** Only same-site relative paths: an open redirect after sign-in would hand phishers a trusted link. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > LIMITS.returnTo) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if ([...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return '/';
  return value;
}

export async function startLogin(deps: IdentityDeps, returnTo: string) {
  const start = await deps.oidc.start();
  const flowToken = newToken();
  await repo.insertAuthFlow(deps.db, {
    idHash: hashToken(flowToken),
    state: start.state,
    nonce: start.nonce,
    codeVerifier: start.codeVerifier,
    returnTo: safeReturnTo(returnTo),
    expiresAt: new Date(deps.now().getTime() + FLOW_TTL_MS),
  });
  return { redirectUrl: start.url, flowToken, flowTtlSeconds: FLOW_TTL_MS / 1000 };
}

const IdClaims = z.object({
  sub: z.string().min(1).max(255),
  email: z.email().max(320),
  name: z.string().min(1).max(200).optional(),
  given_name: z.string().max(100).optional(),
  family_name: z.string().max(100).optional(),
  groups: z.array(z.string().max(200)).max(500).default([]),
  amr: z.array(z.string().max(50)).max(20).default([]),
});

export type LoginOutcome =
  | {
      ok: true;
      sessionToken: string;
      returnTo: string;
      role: Role;
      idleExpiresAt: Date;
      absoluteExpiresAt: Date;
    }
  | { ok: false; reason: SignInFailureReason; message: string; status: number };

export interface FinishLoginInput {
  flowToken: string | undefined;
  callbackQuery: string;
  previousSessionToken: string | undefined;
}

/** Complete an SSO sign-in. Every outcome, success or not, leaves an audit event. */
export async function finishLogin(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: FinishLoginInput,
): Promise<LoginOutcome> {
  const now = deps.now();
  const fail = async (
    reason: SignInFailureReason,
    message: string,
    status: number,
    extra: { issuer?: string; subject?: string; idpError?: string } = {},
  ): Promise<LoginOutcome> => {
    await deps.db.transaction((tx) =>
      audit(tx, ctx, {
        action: 'auth.sign_in.failed',
        outcome: 'failure',
        targetId: null,
        details: { reason, message: message.slice(0, 500), ...extra },
        actor: { personId: null, sessionId: null, role: null },
      }),
    );
    return { ok: false, reason, message, status };
  };

  const flow = input.flowToken ? await repo.takeAuthFlow(deps.db, hashToken(input.flowToken), now) : null;
  if (!flow) {
    return fail('flow_expired', 'This sign-in link has expired or was already used. Start again.', 400);
  }

  let login: Awaited<ReturnType<OidcClient['finish']>>;
  try {
    login = await deps.oidc.finish(input.callbackQuery, flow);
  } catch (err) {
    if (err instanceof OidcError) {
      const status = err.kind === 'idp_error' ? 403 : 400;
      return fail(err.kind, err.message, status, err.idpError ? { idpError: err.idpError } : {});
    }
    throw err;
  }

  const who = { issuer: login.issuer, subject: login.subject };
  const claims = IdClaims.safeParse(login.claims);
  if (!claims.success) {
    const fields = claims.error.issues.map((i) => i.path.join('.')).join(', ');
    return fail('claims_missing', `The identity provider did not send usable claims (${fields}).`, 403, who);
  }
  const c = claims.data;
  const access = deriveAccess(c.groups, deps.config.access);
  if (!access) {
    return fail(
      'not_entitled',
      'Your account is not entitled to Builder Insights. Ask the program admin for access.',
      403,
      who,
    );
  }

  const existing = await repo.findPersonByIssuerSubject(deps.db, login.issuer, login.subject);
  if (existing?.status === 'deactivated') {
    return fail('person_deactivated', 'Your Builder Insights access has been deactivated.', 403, who);
  }

  const profile: repo.ClaimsProfile = {
    issuer: login.issuer,
    subject: login.subject,
    email: c.email,
    displayName: c.name ?? ([c.given_name, c.family_name].filter(Boolean).join(' ') || c.email),
    groups: c.groups,
    team: access.team,
  };
  const sessionToken = newToken();
  const idleMinutes =
    access.role === 'admin' ? deps.config.session.adminIdleMinutes : deps.config.session.idleMinutes;
  const absoluteExpiresAt = new Date(now.getTime() + deps.config.session.absoluteHours * 3_600_000);
  const idleExpiresAt = new Date(Math.min(now.getTime() + idleMinutes * 60_000, absoluteExpiresAt.getTime()));

  await deps.db.transaction(async (tx) => {
    let person = existing ? null : await repo.insertPersonIfAbsent(tx, profile, now);
    if (person) {
      await audit(tx, ctx, {
        action: 'person.provisioned',
        targetId: person.id,
        details: { issuer: profile.issuer, subject: profile.subject, status: person.status },
        actor: { personId: person.id, sessionId: null, role: access.role },
      });
    } else {
      // Known already, or created a moment ago by a concurrent first sign-in (another tab).
      const id =
        existing?.id ?? (await repo.findPersonByIssuerSubject(tx, profile.issuer, profile.subject))?.id;
      if (!id) throw new Error('person vanished during sign-in');
      person = await repo.refreshPersonFromClaims(tx, id, profile, now);
    }
    // Session fixation defence: whatever session this browser had is gone; the new one has a fresh id.
    if (input.previousSessionToken)
      await repo.deleteSessionByTokenHash(tx, hashToken(input.previousSessionToken));
    const session = await repo.insertSession(tx, {
      tokenHash: hashToken(sessionToken),
      personId: person.id,
      role: access.role,
      scope: access.scope,
      amr: c.amr,
      idToken: login.idToken,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      createdAt: now,
      idleExpiresAt,
      absoluteExpiresAt,
    });
    await audit(tx, ctx, {
      action: 'auth.sign_in.succeeded',
      targetId: person.id,
      details: { role: access.role, amr: c.amr, sessionId: session.id },
      actor: { personId: person.id, sessionId: session.id, role: access.role },
    });
  });

  return {
    ok: true,
    sessionToken,
    returnTo: flow.returnTo,
    role: access.role,
    idleExpiresAt,
    absoluteExpiresAt,
  };
}

export interface ResolvedSession {
  actor: Actor;
  session: repo.SessionRow;
  personStatus: repo.PersonRow['status'];
}

/** Session cookie → actor, or null when unknown, expired or the person is deactivated. */
export async function resolveSession(deps: IdentityDeps, token: string): Promise<ResolvedSession | null> {
  const found = await repo.findSessionByTokenHash(deps.db, hashToken(token));
  if (!found) return null;
  const { session, person } = found;
  const now = deps.now();
  if (session.idleExpiresAt <= now || session.absoluteExpiresAt <= now || person.status === 'deactivated') {
    await repo.deleteSession(deps.db, session.id);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    const idleMinutes =
      session.role === 'admin' ? deps.config.session.adminIdleMinutes : deps.config.session.idleMinutes;
    const idleExpiresAt = new Date(
      Math.min(now.getTime() + idleMinutes * 60_000, session.absoluteExpiresAt.getTime()),
    );
    await repo.touchSession(deps.db, session.id, now, idleExpiresAt);
    session.lastSeenAt = now;
    session.idleExpiresAt = idleExpiresAt;
  }
  return {
    session,
    personStatus: person.status,
    actor: {
      personId: person.id,
      name: person.displayName,
      email: person.email,
      team: person.team,
      role: session.role,
      scope: session.scope,
      sessionId: session.id,
      amr: session.amr,
    },
  };
}

/** End the session (deleted, not just forgotten by the browser) and say where the browser goes next. */
export async function logout(deps: IdentityDeps, ctx: RequestContext, resolved: ResolvedSession) {
  await deps.db.transaction(async (tx) => {
    const deleted = await repo.deleteSession(tx, resolved.session.id);
    if (deleted) await audit(tx, ctx, { action: 'auth.logout', targetId: resolved.session.id, details: {} });
  });
  return (await deps.oidc.endSessionUrl(resolved.session.idToken)) ?? '/';
}
