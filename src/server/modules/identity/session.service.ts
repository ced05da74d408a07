import type { ClaimsModelSpec } from '../../../contract/api/claims-model.ts';
import type { SessionEndReason } from '../../../contract/audit-events.ts';
import type { Role } from '../../../contract/roles.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { sameAccess } from '../access/entitlements.engine.ts';
import { effectiveAccessFor } from '../access/entitlements.service.ts';
import { filterGroups } from '../access/groups.ts';
import { audit } from '../audit/audit.service.ts';
import { modelVersion } from '../claims-model/claims-model.service.ts';
import type { Actor, RequestContext } from './actor.ts';
import { countSessionsEnded } from './identity.metrics.ts';
import type { OidcClient } from './identity.oidc.ts';
import * as repo from './identity.repo.ts';
import { hashToken, newToken } from './identity.tokens.ts';

export interface IdentityDeps {
  db: Db;
  oidc: OidcClient;
  config: Pick<Config, 'session'>;
  now: () => Date;
}

/** A session's last-seen time is written at most this often (not on every request). */
const TOUCH_INTERVAL_MS = 60 * 1000;
/** After a rotation the previous token keeps working this long, for requests already in flight. */
export const ROTATION_GRACE_MS = 30 * 1000;

export interface ResolvedSession {
  actor: Actor;
  session: repo.SessionRow;
  person: repo.PersonRow;
  personStatus: repo.PersonRow['status'];
  /** Set when this request rotated the session token: the plugin sends the new cookie. */
  rotatedToken: string | null;
}

export function idleMinutesFor(config: Pick<Config, 'session'>, role: Role): number {
  return role === 'admin' ? config.session.adminIdleMinutes : config.session.idleMinutes;
}

export function idleExpiry(config: Pick<Config, 'session'>, role: Role, now: Date, absolute: Date): Date {
  return new Date(Math.min(now.getTime() + idleMinutesFor(config, role) * 60_000, absolute.getTime()));
}

/** Does this authentication meet the model's MFA expectation? (amr contains an accepted method, or acr is accepted) */
export function meetsMfa(model: ClaimsModelSpec, amr: readonly string[], acr: string | null): boolean {
  return (
    amr.some((m) => model.mfa.acceptedAmr.includes(m)) ||
    (acr !== null && model.mfa.acceptedAcr.includes(acr))
  );
}

/** End sessions with an audit event each, in the caller's transaction. */
export async function auditEndedSessions(
  tx: Db,
  ctx: RequestContext,
  ended: { id: string; personId: string }[],
  reason: SessionEndReason,
) {
  for (const s of ended) {
    await audit(tx, ctx, {
      action: 'auth.session.ended',
      targetId: s.id,
      details: { reason, personId: s.personId },
    });
  }
  countSessionsEnded(reason, ended.length);
}

async function endSession(
  deps: IdentityDeps,
  ctx: RequestContext,
  session: repo.SessionRow,
  reason: SessionEndReason,
) {
  await deps.db.transaction(async (tx) => {
    if (await repo.deleteSession(tx, session.id))
      await auditEndedSessions(tx, ctx, [{ id: session.id, personId: session.personId }], reason);
  });
}

/**
 * Session cookie → actor, or null when unknown, expired, ended or the person lost access. The role and scope
 * are re-derived on every request from the person's current org inputs and the active claims model, so a
 * deactivation or role change applies on the next request. A changed role or scope rotates the session token
 * (privilege change). Break-glass sessions keep their fixed role and are never extended.
 */
export async function resolveSession(
  deps: IdentityDeps,
  ctx: RequestContext,
  token: string,
): Promise<ResolvedSession | null> {
  const now = deps.now();
  const tokenHash = hashToken(token);
  const found = await repo.findSessionByToken(deps.db, tokenHash, now);
  if (!found) return null;
  const { session, person } = found;
  if (session.idleExpiresAt <= now || session.absoluteExpiresAt <= now) {
    await repo.deleteSession(deps.db, session.id);
    return null;
  }
  if (person.status === 'deactivated') {
    await endSession(deps, ctx, session, 'deactivated');
    return null;
  }

  let rotatedToken: string | null = null;
  if (session.kind === 'sso') {
    const version = Number(found.activeModelVersion);
    const model = await modelVersion(deps.db, version);
    const groups = filterGroups(person.groups, model.groupFilter);
    const { access } = await effectiveAccessFor(deps.db, { ...person, groups }, now);
    if (!access) {
      await endSession(deps, ctx, session, 'access_removed');
      return null;
    }
    const changed = !sameAccess(access, session);
    if (changed || session.claimsModelVersion !== version) {
      const patch = {
        role: access.role,
        scope: access.scope,
        claimsModelVersion: version,
        idleExpiresAt: idleExpiry(deps.config, access.role, now, session.absoluteExpiresAt),
      };
      // Privilege change: a new token, unless this request came with the old one (already rotated).
      if (changed && session.tokenHash === tokenHash) {
        const fresh = newToken();
        await deps.db.transaction(async (tx) => {
          const won = await repo.rotateSessionToken(
            tx,
            session.id,
            tokenHash,
            hashToken(fresh),
            new Date(now.getTime() + ROTATION_GRACE_MS),
            patch,
          );
          if (!won) return;
          rotatedToken = fresh;
          await audit(tx, ctx, {
            action: 'auth.session.access_changed',
            targetId: session.id,
            details: { fromRole: session.role, toRole: access.role, claimsModelVersion: version },
            actor: { personId: person.id, sessionId: session.id, role: access.role },
          });
        });
      } else {
        await repo.updateSession(deps.db, session.id, patch);
      }
      Object.assign(session, patch);
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      const idleExpiresAt = idleExpiry(deps.config, session.role, now, session.absoluteExpiresAt);
      await repo.touchSession(deps.db, session.id, now, idleExpiresAt);
      session.lastSeenAt = now;
      session.idleExpiresAt = idleExpiresAt;
    }
  }

  return {
    session,
    person,
    personStatus: person.status,
    rotatedToken,
    actor: {
      personId: person.id,
      name: person.displayName,
      email: person.email,
      team: person.team,
      role: session.role,
      scope: session.scope,
      sessionId: session.id,
      amr: session.amr,
      via: session.kind === 'break_glass' ? 'break_glass' : 'session',
      mfaAt: session.mfaAt,
      tokenId: null,
      tokenScopes: null,
    },
  };
}

/**
 * Why a privileged action needs step-up now, or null when it may go ahead. Roles the model names need MFA
 * within the freshness window; other roles need any authentication within it. Break-glass sessions carry
 * their own second factor and last at most an hour.
 */
export async function needsStepUp(deps: IdentityDeps, resolved: ResolvedSession): Promise<string | null> {
  const { session } = resolved;
  if (session.kind === 'break_glass') return null;
  const model = await modelVersion(deps.db, session.claimsModelVersion ?? 1);
  const windowMs = model.mfa.stepUpMaxAgeMinutes * 60_000;
  const now = deps.now().getTime();
  if (model.mfa.requiredFor.includes(session.role)) {
    if (session.mfaAt && now - session.mfaAt.getTime() <= windowMs) return null;
    return `This action needs a sign-in with multi-factor authentication in the last ${model.mfa.stepUpMaxAgeMinutes} minutes. Verify it's you to continue.`;
  }
  const authenticated = session.authTime ?? session.createdAt;
  if (now - authenticated.getTime() <= windowMs) return null;
  return `This action needs a sign-in in the last ${model.mfa.stepUpMaxAgeMinutes} minutes. Verify it's you to continue.`;
}

/** A person ends one of their own sessions (`ownerId` scopes the lookup), or an admin ends anyone's. */
export async function endSessionById(
  deps: IdentityDeps,
  ctx: RequestContext,
  sessionId: string,
  reason: 'self' | 'admin',
  ownerId?: string,
): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const session = await repo.findSessionById(tx, sessionId, ownerId);
    if (!session || !(await repo.deleteSession(tx, session.id))) return false;
    await auditEndedSessions(tx, ctx, [{ id: session.id, personId: session.personId }], reason);
    return true;
  });
}
