import type { BreakGlassFailureReason } from '../../../contract/audit-events.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { countSessionsEnded } from '../identity/identity.metrics.ts';
import {
  decryptTotpSecret,
  encryptTotpSecret,
  hashSecret,
  newBreakGlassSecret,
  newTotpSecret,
  totpFor,
  totpStep,
  verifySecret,
} from './break-glass.crypto.ts';
import { type GateVerdict, gateVerdict, MAX_ACTIVE_PRINCIPALS } from './break-glass.policy.ts';
import * as repo from './break-glass.repo.ts';
import { idpDownVerdict, readIdpStatus } from './idp-health.ts';

/**
 * Break-glass principals: provisioned out of band (`bi break-glass enroll`), listed, revoked and drilled from
 * the CLI. The sign-in itself is in break-glass.signin.ts; the admin side (approvals, reviews) in
 * break-glass.admin.ts.
 */
export interface BreakGlassDeps {
  db: Db;
  sessionSecret: string;
  now: () => Date;
}

export const PRINCIPAL_NAME = /^[a-z0-9][a-z0-9-]{1,39}$/;

export interface Enrolment {
  name: string;
  principalId: string;
  personId: string;
  /** Shown once: only its scrypt hash is stored. */
  secret: string;
  /** Shown once, for an authenticator app (otpauth://totp/…). */
  otpauthUri: string;
}

export async function enrollPrincipal(
  deps: BreakGlassDeps,
  ctx: RequestContext,
  name: string,
): Promise<Enrolment> {
  if (!PRINCIPAL_NAME.test(name)) {
    throw new ValidationError('Invalid principal name.', [
      {
        field: 'name',
        message: 'use 2–40 lowercase letters, digits and dashes, starting with a letter or digit',
      },
    ]);
  }
  const now = deps.now();
  const secret = newBreakGlassSecret();
  const totpSecret = newTotpSecret();
  const secretHash = await hashSecret(secret);
  const created = await deps.db.transaction(async (tx) => {
    await repo.lockEnrolment(tx);
    if (await repo.findPrincipalByName(tx, name)) {
      throw new ConflictError(
        `A break-glass principal named "${name}" exists or existed; names are never reused, so choose another.`,
      );
    }
    if ((await repo.countActivePrincipals(tx)) >= MAX_ACTIVE_PRINCIPALS) {
      throw new ConflictError(
        `There are already ${MAX_ACTIVE_PRINCIPALS} active break-glass principals; revoke one before enrolling another.`,
      );
    }
    const person = await repo.insertPrincipalPerson(tx, name, now);
    const principal = await repo.insertPrincipal(tx, {
      name,
      personId: person.id,
      secretHash,
      totpSecret: encryptTotpSecret(deps.sessionSecret, name, totpSecret),
      status: 'active',
      enrolledAt: now,
    });
    await audit(tx, ctx, {
      action: 'break_glass.enrolled',
      targetId: principal.id,
      details: { name },
      breakGlass: true,
    });
    return principal;
  });
  return {
    name,
    principalId: created.id,
    personId: created.personId,
    secret,
    otpauthUri: totpFor(name, totpSecret).toString(),
  };
}

/** Revoke a principal: its person is deactivated, its open sessions and approvals end. */
export async function revokePrincipal(deps: BreakGlassDeps, ctx: RequestContext, name: string) {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const principal = await repo.findPrincipalByName(tx, name);
    if (!principal) throw new NotFoundError('break-glass principal');
    if (principal.status === 'revoked')
      throw new ConflictError(`The principal "${name}" is already revoked.`);
    await repo.revokePrincipal(tx, principal.id, principal.personId, now);
    const ended = await repo.deleteSessionsOfPerson(tx, principal.personId);
    for (const session of ended) {
      await audit(tx, ctx, {
        action: 'auth.session.ended',
        targetId: session.id,
        details: { reason: 'admin', personId: principal.personId },
        breakGlass: true,
      });
    }
    countSessionsEnded('admin', ended.length);
    await audit(tx, ctx, {
      action: 'break_glass.revoked',
      targetId: principal.id,
      details: { name },
      breakGlass: true,
    });
    return { sessionsEnded: ended.length };
  });
}

export async function listPrincipals(deps: Pick<BreakGlassDeps, 'db'>) {
  return repo.listPrincipals(deps.db);
}

export type CredentialCheck =
  | 'ok'
  | Extract<BreakGlassFailureReason, 'bad_secret' | 'bad_code' | 'code_replayed'>;

/**
 * Both factors: the secret (scrypt, constant-time) and a TOTP code of the current step ±1. A valid code's
 * step is consumed, so the same code — or an older one — is refused afterwards (replay protection).
 * Call with principal null for an unknown name: the secret check still runs, so timing tells nothing.
 */
export async function checkCredentials(
  deps: BreakGlassDeps,
  principal: repo.PrincipalRow | null,
  secret: string,
  code: string,
): Promise<CredentialCheck> {
  const secretOk = await verifySecret(secret, principal?.secretHash ?? null);
  if (!principal || !secretOk) return 'bad_secret';
  const totp = totpFor(
    principal.name,
    decryptTotpSecret(deps.sessionSecret, principal.name, principal.totpSecret),
  );
  const step = totpStep(totp, code.trim(), deps.now());
  if (step === null) return 'bad_code';
  if (principal.lastTotpStep !== null && step <= principal.lastTotpStep) return 'code_replayed';
  return (await repo.consumeTotpStep(deps.db, principal.id, step)) ? 'ok' : 'code_replayed';
}

/** Would break-glass open for this principal right now, and why (read-only: nothing is consumed). */
export async function evaluateGate(
  deps: Pick<BreakGlassDeps, 'db' | 'now'>,
  principalId: string | null,
  idpDownMinutes: number,
  /** A probe made just now (the drill): it overrides the stored reachability; the outage start stays stored. */
  probed: boolean | null = null,
): Promise<GateVerdict> {
  const now = deps.now();
  let idp = idpDownVerdict(await readIdpStatus(deps.db), now, idpDownMinutes);
  if (probed === true) idp = { reachable: true, downMinutes: 0, longEnough: false };
  if (probed === false && idp.reachable !== false)
    idp = { reachable: false, downMinutes: 0, longEnough: false };
  const approval = principalId ? await repo.findLiveApproval(deps.db, principalId, 'approved', now) : null;
  return gateVerdict({
    idpReachable: idp.reachable,
    downMinutes: idp.downMinutes,
    outageLongEnough: idp.longEnough,
    idpDownMinutes,
    hasApproval: approval !== null,
  });
}

export interface DrillResult {
  name: string;
  verified: boolean;
  failure: CredentialCheck | 'revoked' | null;
  idp: { reachable: boolean | null; how: string };
  verdict: GateVerdict;
  lastDrillAt: Date | null;
}

/**
 * Prove the break-glass path works without granting access: check both factors, probe the IdP, evaluate the
 * gate, record the drill date (when the factors verify) and audit the drill. No session, no use, no alert.
 */
export async function drillPrincipal(
  deps: BreakGlassDeps,
  ctx: RequestContext,
  input: {
    name: string;
    secret: string;
    code: string;
    idpDownMinutes: number;
    /** true/false when the IdP was probed; null when it cannot be probed from here (the dev IdP). */
    probe: () => Promise<boolean | null>;
    idpLabel: string;
  },
): Promise<DrillResult> {
  const principal = await repo.findPrincipalByName(deps.db, input.name);
  if (!principal) throw new NotFoundError('break-glass principal');
  const check =
    principal.status === 'revoked'
      ? 'revoked'
      : await checkCredentials(deps, principal, input.secret, input.code);
  const verified = check === 'ok';
  const probed = await input.probe();
  const stored = idpDownVerdict(await readIdpStatus(deps.db), deps.now(), input.idpDownMinutes);
  const reachable = probed ?? stored.reachable;
  // The probe is reported, not recorded: the server's own observations decide when an outage began.
  const verdict = await evaluateGate(deps, principal.id, input.idpDownMinutes, probed);
  const how =
    probed === null
      ? `${input.idpLabel}: not probed from here; ${stored.reachable === null ? 'the server has not contacted it yet' : `the server last saw it ${stored.reachable ? 'reachable' : 'unreachable'}`}`
      : `${input.idpLabel}: ${probed ? 'reachable' : 'unreachable'} now`;
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    if (verified) await repo.markPrincipal(tx, principal.id, { lastDrillAt: now });
    await audit(tx, ctx, {
      action: 'break_glass.drilled',
      outcome: verified ? 'success' : 'failure',
      targetId: principal.id,
      details: { name: principal.name, verified, idpReachable: reachable === true },
      breakGlass: true,
    });
  });
  return {
    name: principal.name,
    verified,
    failure: verified ? null : check,
    idp: { reachable, how },
    verdict,
    lastDrillAt: verified ? now : principal.lastDrillAt,
  };
}
