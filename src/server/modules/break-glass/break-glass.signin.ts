import type { BreakGlassFailureReason } from '../../../contract/audit-events.ts';
import type { Config } from '../../config.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import type { OidcClient } from '../identity/identity.oidc.ts';
import { insertSession } from '../identity/identity.repo.ts';
import { hashToken, newToken } from '../identity/identity.tokens.ts';
import { type AlertLog, alertBreakGlassUse, breakGlassFailures } from './break-glass.alert.ts';
import { APPROVAL_TTL_MINUTES, LOCKOUT_MINUTES, MAX_FAILED_ATTEMPTS } from './break-glass.policy.ts';
import * as repo from './break-glass.repo.ts';
import {
  type BreakGlassDeps,
  checkCredentials,
  evaluateGate,
  PRINCIPAL_NAME,
} from './break-glass.service.ts';
import type { IdpHealthRecorder } from './idp-health.ts';

export interface SignInDeps extends BreakGlassDeps {
  oidc: Pick<OidcClient, 'probe'>;
  idpHealth: Pick<IdpHealthRecorder, 'flush'>;
  config: Pick<Config, 'breakGlass' | 'publicUrl'>;
  log: AlertLog;
}

export interface SignInInput {
  name: string;
  secret: string;
  code: string;
  reason: string;
}

export type SignInOutcome =
  | { ok: true; sessionToken: string; useId: string; endsAt: Date; alerted: Promise<void> }
  | {
      ok: false;
      reason: BreakGlassFailureReason;
      status: number;
      title: string;
      message: string;
      retryAfterSeconds?: number;
    };

const WRONG =
  'The name, secret or code is not right. Check them and try again; repeated failures lock the principal.';

/**
 * A break-glass sign-in. In order: the principal exists and is active; it is not locked; the secret; the TOTP
 * code (a used step is refused); no other break-glass session of it is open; then the gate — the IdP has been
 * unreachable for BREAK_GLASS_IDP_DOWN_MINUTES (probed now), or a second admin approved a request. Otherwise a
 * request for approval is recorded. Every refusal is audited and counted; a success opens a session of at most
 * 60 minutes with a use row whose review an admin must close, and raises the alert.
 */
export async function breakGlassSignIn(
  deps: SignInDeps,
  ctx: RequestContext,
  input: SignInInput,
): Promise<SignInOutcome> {
  const now = deps.now();
  const name = input.name.trim().toLowerCase();
  await repo.expireApprovals(deps.db, now);
  const principal = PRINCIPAL_NAME.test(name) ? await repo.findPrincipalByName(deps.db, name) : null;

  const refuse = async (
    reason: BreakGlassFailureReason,
    status: number,
    title: string,
    message: string,
    retryAfterSeconds?: number,
  ): Promise<SignInOutcome> => {
    breakGlassFailures.inc({ reason });
    await deps.db.transaction((tx) =>
      audit(tx, ctx, {
        action: 'break_glass.sign_in.failed',
        outcome: 'failure',
        targetId: principal?.id ?? null,
        details: { principal: name.slice(0, 100), reason },
        actor: { personId: null, sessionId: null, role: null },
        breakGlass: true,
      }),
    );
    return { ok: false, reason, status, title, message, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) };
  };

  if (principal?.status !== 'active') {
    await checkCredentials(deps, null, input.secret, input.code); // same work, same time, as for a real name
    return refuse(principal ? 'revoked' : 'unknown_principal', 401, "We couldn't sign you in", WRONG);
  }
  if (principal.lockedUntil && principal.lockedUntil > now) {
    const seconds = Math.ceil((principal.lockedUntil.getTime() - now.getTime()) / 1000);
    return refuse(
      'locked',
      429,
      'Break-glass is locked',
      `Too many failed attempts: this principal is locked until ${principal.lockedUntil.toISOString()} (about ${Math.ceil(seconds / 60)} minutes).`,
      seconds,
    );
  }

  const check = await checkCredentials(deps, principal, input.secret, input.code);
  if (check !== 'ok') {
    const lockedUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
    const { locked } = await repo.recordFailedAttempt(
      deps.db,
      principal.id,
      MAX_FAILED_ATTEMPTS,
      lockedUntil,
    );
    if (locked) {
      return refuse(
        check,
        429,
        'Break-glass is locked',
        `Too many failed attempts: this principal is locked for ${LOCKOUT_MINUTES} minutes.`,
        LOCKOUT_MINUTES * 60,
      );
    }
    const message =
      check === 'code_replayed'
        ? 'This code was already used. Wait for the next code from your authenticator app and try again.'
        : WRONG;
    return refuse(check, 401, "We couldn't sign you in", message);
  }

  const open = await repo.findOpenSession(deps.db, principal.personId, now);
  if (open) {
    return refuse(
      'already_active',
      409,
      'A break-glass session is already open',
      `A break-glass session of ${name} is open until ${open.absoluteExpiresAt.toISOString()}. Use it, or wait until it ends.`,
    );
  }

  const reachable = await deps.oidc.probe();
  await deps.idpHealth.flush();
  const verdict = await evaluateGate(deps, principal.id, deps.config.breakGlass.idpDownMinutes, reachable);
  if (!verdict.open) {
    const pending = await repo.findLiveApproval(deps.db, principal.id, 'pending', now);
    if (!pending) {
      await deps.db.transaction(async (tx) => {
        const approval = await repo.insertApproval(tx, {
          principalId: principal.id,
          reason: input.reason,
          status: 'pending',
          requestedAt: now,
          expiresAt: new Date(now.getTime() + APPROVAL_TTL_MINUTES * 60_000),
        });
        await audit(tx, ctx, {
          action: 'break_glass.approval.requested',
          targetId: approval.id,
          details: { principal: name, reason: input.reason },
          actor: { personId: principal.personId, sessionId: null, role: null },
          breakGlass: true,
        });
      });
    }
    return refuse(
      verdict.reason,
      403,
      'A second admin must approve',
      `Break-glass is not open: ${verdict.why}. ${pending ? 'Your request is still waiting' : 'We recorded a request'}: ` +
        `another admin must approve it in Builder Insights (Admin → Break-glass) within ${APPROVAL_TTL_MINUTES} minutes. ` +
        'Then sign in here again with a new code.',
    );
  }

  const endsAt = new Date(now.getTime() + Math.min(deps.config.breakGlass.sessionMinutes, 60) * 60_000);
  const sessionToken = newToken();
  const created = await deps.db.transaction(async (tx) => {
    let approvalId: string | null = null;
    if (verdict.mode === 'approved') {
      const approval = await repo.findLiveApproval(tx, principal.id, 'approved', now);
      const used = approval
        ? await repo.transitionApproval(tx, approval.id, 'approved', { status: 'used' }, now)
        : null;
      if (!used) return null;
      approvalId = used.id;
    }
    const use = await repo.insertUse(tx, {
      principalId: principal.id,
      mode: verdict.mode,
      approvalId,
      reason: input.reason,
      startedAt: now,
      endsAt,
      reviewStatus: 'open',
    });
    const session = await insertSession(tx, {
      tokenHash: hashToken(sessionToken),
      personId: principal.personId,
      role: 'admin',
      scope: { kind: 'all' },
      amr: ['pwd', 'otp'],
      acr: null,
      authTime: now,
      mfaAt: now,
      kind: 'break_glass',
      breakGlassUseId: use.id,
      idpSid: null,
      claimsModelVersion: null,
      idToken: null,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      createdAt: now,
      idleExpiresAt: endsAt,
      absoluteExpiresAt: endsAt,
    });
    await repo.markPrincipal(tx, principal.id, { lastUsedAt: now });
    await audit(tx, ctx, {
      action: 'break_glass.sign_in.succeeded',
      targetId: use.id,
      details: { principal: name, mode: verdict.mode, reason: input.reason, endsAt: endsAt.toISOString() },
      actor: { personId: principal.personId, sessionId: session.id, role: 'admin' },
      breakGlass: true,
    });
    return use;
  });
  if (!created) {
    return refuse(
      'no_approval',
      403,
      'The approval was already used',
      'Ask another admin to approve a new request.',
    );
  }
  const alerted = alertBreakGlassUse(
    deps.log,
    deps.config.breakGlass.webhookUrl,
    {
      useId: created.id,
      principal: name,
      mode: created.mode,
      reason: input.reason,
      startedAt: now,
      endsAt,
      ip: ctx.ip,
    },
    deps.config.publicUrl,
  );
  return { ok: true, sessionToken, useId: created.id, endsAt, alerted };
}
