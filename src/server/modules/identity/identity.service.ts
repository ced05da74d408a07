import { z } from 'zod';
import type { ClaimsModelSpec } from '../../../contract/api/claims-model.ts';
import type { SignInFailureReason } from '../../../contract/audit-events.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { Role } from '../../../contract/roles.ts';
import { teamsFromGroups } from '../access/entitlements.engine.ts';
import { activeRuleSet, effectiveAccessFor } from '../access/entitlements.service.ts';
import { filterGroups } from '../access/groups.ts';
import { audit } from '../audit/audit.service.ts';
import { activeModel } from '../claims-model/claims-model.service.ts';
import type { RequestContext } from './actor.ts';
import { countSignIn, countStepUp } from './identity.metrics.ts';
import { OidcError, type VerifiedLogin } from './identity.oidc.ts';
import * as repo from './identity.repo.ts';
import { hashToken, newToken } from './identity.tokens.ts';
import {
  type IdentityDeps,
  idleExpiry,
  meetsMfa,
  type ResolvedSession,
  ROTATION_GRACE_MS,
} from './session.service.ts';

const FLOW_TTL_MS = 10 * 60 * 1000;
/** A step-up's authentication must be this recent when it reaches us (we ask the IdP for max_age=0). */
const STEP_UP_MAX_AGE_SECONDS = 300;

/** Only same-site relative paths: an open redirect after sign-in would hand phishers a trusted link. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > LIMITS.returnTo) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if ([...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return '/';
  // Resolved the way a browser resolves a Location: still our origin, and percent-encoded to ASCII (a header
  // cannot carry other characters: a raw "€" would fail the redirect after sign-in with a 500).
  const base = 'https://app.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === base && path.length <= LIMITS.returnTo ? path : '/';
}

/** Begin SSO sign-in, or — with `stepUpOf` — a re-authentication of that session (prompt=login, max_age=0). */
export async function startLogin(
  deps: IdentityDeps,
  returnTo: string,
  stepUpOf: ResolvedSession | null = null,
) {
  const model = stepUpOf ? (await activeModel(deps.db)).spec : null;
  const start = await deps.oidc.start(model ? { acrValues: model.mfa.stepUpAcrValues } : null);
  const flowToken = newToken();
  await repo.insertAuthFlow(deps.db, {
    idHash: hashToken(flowToken),
    state: start.state,
    nonce: start.nonce,
    codeVerifier: start.codeVerifier,
    returnTo: safeReturnTo(returnTo),
    stepUpSessionId: stepUpOf?.session.id ?? null,
    expiresAt: new Date(deps.now().getTime() + FLOW_TTL_MS),
  });
  return { redirectUrl: start.url, flowToken, flowTtlSeconds: FLOW_TTL_MS / 1000 };
}

/** The claims we read, named as the trusted-claims model says. */
function readClaims(raw: Record<string, unknown>, model: ClaimsModelSpec) {
  const names = model.claims;
  const shape = z.object({
    email: z.email().max(320),
    email_verified: z.boolean().optional(),
    name: z.string().min(1).max(200).optional(),
    given_name: z.string().max(100).optional(),
    family_name: z.string().max(100).optional(),
    groups: z.array(z.string().max(200)).max(500).default([]),
    amr: z.array(z.string().max(50)).max(20).default([]),
    acr: z.string().max(200).optional(),
    auth_time: z.number().int().optional(),
    sid: z.string().max(200).optional(),
    employee_number: z.union([z.string().max(50), z.number()]).optional(),
  });
  return shape.safeParse({
    email: raw[names.email],
    email_verified: raw.email_verified,
    name: raw[names.name],
    given_name: raw.given_name,
    family_name: raw.family_name,
    groups: raw[names.groups],
    amr: raw.amr,
    acr: raw.acr,
    auth_time: raw.auth_time,
    sid: raw.sid,
    employee_number: names.employeeNumber ? raw[names.employeeNumber] : undefined,
  });
}

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
  /** The session this browser has now (the one a step-up belongs to). */
  currentSession: ResolvedSession | null;
}

async function unlessHeldByAnother(
  deps: IdentityDeps,
  employeeNumber: string | null,
  personId: string | null,
) {
  if (!employeeNumber) return null;
  const holder = await repo.employeeNumberHolder(deps.db, employeeNumber);
  return holder && holder !== personId ? null : employeeNumber;
}

/** Complete an SSO sign-in or a step-up. Every outcome, success or not, leaves an audit event. */
export async function finishLogin(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: FinishLoginInput,
): Promise<LoginOutcome> {
  const now = deps.now();
  let stepUp = false;
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
    countSignIn({ ok: false, reason });
    if (stepUp) countStepUp('failure');
    return { ok: false, reason, message, status };
  };

  const flow = input.flowToken ? await repo.takeAuthFlow(deps.db, hashToken(input.flowToken), now) : null;
  if (!flow) {
    return fail('flow_expired', 'This sign-in link has expired or was already used. Start again.', 400);
  }
  const { version, spec: model } = await activeModel(deps.db);
  stepUp = flow.stepUpSessionId !== null;

  let login: VerifiedLogin;
  try {
    login = await deps.oidc.finish(input.callbackQuery, flow, {
      algorithms: model.algorithms,
      clockSkewSeconds: model.clockSkewSeconds,
      ...(stepUp ? { maxAgeSeconds: STEP_UP_MAX_AGE_SECONDS } : {}),
    });
  } catch (err) {
    if (err instanceof OidcError) {
      const status = err.kind === 'idp_error' ? 403 : err.kind === 'idp_unreachable' ? 503 : 400;
      return fail(err.kind, err.message, status, err.idpError ? { idpError: err.idpError } : {});
    }
    throw err;
  }

  const who = { issuer: login.issuer, subject: login.subject.slice(0, 255) };
  if (login.subject.length > 255) {
    return fail(
      'claims_missing',
      'The identity provider sent a subject longer than 255 characters.',
      403,
      who,
    );
  }
  if (login.issuer !== model.issuer) {
    return fail(
      'issuer_mismatch',
      'The sign-in token comes from an identity provider this app does not trust.',
      400,
      who,
    );
  }
  const claims = readClaims(login.claims, model);
  if (!claims.success) {
    const fields = claims.error.issues.map((i) => i.path.join('.')).join(', ');
    return fail('claims_missing', `The identity provider did not send usable claims (${fields}).`, 403, who);
  }
  const c = claims.data;
  if (model.requireEmailVerified && c.email_verified !== true) {
    return fail(
      'email_unverified',
      'Your e-mail address is not verified at the identity provider.',
      403,
      who,
    );
  }
  const groups = filterGroups(c.groups, model.groupFilter);
  const employeeNumber = c.employee_number === undefined ? null : String(c.employee_number);
  const existing = await repo.findPersonByIssuerSubject(deps.db, login.issuer, login.subject);
  // A first sign-in of someone the org source already provisioned takes over that record (and its org facts).
  const link = existing
    ? null
    : await repo.findProvisionedMatch(deps.db, { subject: login.subject, email: c.email, employeeNumber });
  const known = existing ?? link?.person ?? null;
  if (known?.status === 'deactivated') {
    return fail('person_deactivated', 'Your Builder Insights access has been deactivated.', 403, who);
  }
  // The rules read org facts from the org source, and groups from SCIM when SCIM manages the person.
  const { access } = await effectiveAccessFor(
    deps.db,
    {
      id: known?.id ?? null,
      status: known?.status ?? 'provisional',
      groups: known?.orgSource === 'scim' ? known.groups : groups,
      builderRelations: known?.builderRelations ?? false,
      department: known?.department ?? null,
      title: known?.title ?? null,
    },
    now,
  );
  if (!access) {
    return fail(
      'not_entitled',
      'Your account is not entitled to Builder Insights. Ask the program admin for access.',
      403,
      who,
    );
  }
  const acr = c.acr ?? null;
  const authTime = c.auth_time ? new Date(c.auth_time * 1000) : now;
  const mfa = meetsMfa(model, c.amr, acr);

  if (stepUp) {
    const current = input.currentSession;
    if (
      !current ||
      current.session.id !== flow.stepUpSessionId ||
      !existing ||
      existing.id !== current.session.personId
    ) {
      return fail(
        'step_up_subject_mismatch',
        'The re-authentication was for a different person or session. Sign in again.',
        403,
        who,
      );
    }
    if (model.mfa.requiredFor.includes(access.role) && !mfa) {
      return fail(
        'step_up_insufficient',
        'This action needs multi-factor authentication, and the identity provider did not report it.',
        403,
        who,
      );
    }
    const sessionToken = newToken();
    await deps.db.transaction(async (tx) => {
      const rotated = await repo.rotateSessionToken(
        tx,
        current.session.id,
        current.session.tokenHash,
        hashToken(sessionToken),
        new Date(now.getTime() + ROTATION_GRACE_MS),
        {
          amr: c.amr,
          acr,
          authTime,
          mfaAt: mfa ? authTime : current.session.mfaAt,
          idToken: login.idToken,
          idpSid: c.sid ?? current.session.idpSid,
        },
      );
      if (!rotated) throw new Error('session changed during step-up');
      await audit(tx, ctx, {
        action: 'auth.step_up.succeeded',
        targetId: current.session.id,
        details: { amr: c.amr, acr },
      });
    });
    countStepUp('success');
    return {
      ok: true,
      sessionToken,
      returnTo: flow.returnTo,
      role: current.session.role,
      idleExpiresAt: current.session.idleExpiresAt,
      absoluteExpiresAt: current.session.absoluteExpiresAt,
    };
  }

  const profile: repo.ClaimsProfile = {
    issuer: login.issuer,
    subject: login.subject,
    email: c.email,
    displayName: c.name ?? ([c.given_name, c.family_name].filter(Boolean).join(' ') || c.email),
    groups,
    team: teamsFromGroups(groups, (await activeRuleSet(deps.db)).spec.teamGroupPrefix)[0] ?? null,
    // An employee number another person already holds (per the org source) is not taken from a token.
    employeeNumber: await unlessHeldByAnother(deps, employeeNumber, known?.id ?? null),
  };
  const sessionToken = newToken();
  const absoluteExpiresAt = new Date(now.getTime() + deps.config.session.absoluteHours * 3_600_000);
  const idleExpiresAt = idleExpiry(deps.config, access.role, now, absoluteExpiresAt);

  await deps.db.transaction(async (tx) => {
    if (link && (await repo.linkPerson(tx, link.person.id, profile.issuer, profile.subject))) {
      await audit(tx, ctx, {
        action: 'org.person.linked',
        targetId: link.person.id,
        details: { issuer: profile.issuer, subject: profile.subject, matchedBy: link.matchedBy },
        actor: { personId: link.person.id, sessionId: null, role: access.role },
      });
    }
    let person = known ? null : await repo.insertPersonIfAbsent(tx, profile, now);
    if (person) {
      await audit(tx, ctx, {
        action: 'person.provisioned',
        targetId: person.id,
        details: { issuer: profile.issuer, subject: profile.subject, status: person.status },
        actor: { personId: person.id, sessionId: null, role: access.role },
      });
    } else {
      // Known already, or created a moment ago by a concurrent first sign-in (another tab).
      const current = known ?? (await repo.findPersonByIssuerSubject(tx, profile.issuer, profile.subject));
      if (!current) throw new Error('person vanished during sign-in');
      person = await repo.refreshPersonFromClaims(tx, current, profile, now);
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
      acr,
      authTime,
      mfaAt: mfa ? authTime : null,
      idpSid: c.sid ?? null,
      claimsModelVersion: version,
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
  countSignIn({ ok: true });

  return {
    ok: true,
    sessionToken,
    returnTo: flow.returnTo,
    role: access.role,
    idleExpiresAt,
    absoluteExpiresAt,
  };
}

/** End the session (deleted, not just forgotten by the browser) and say where the browser goes next. */
export async function logout(deps: IdentityDeps, ctx: RequestContext, resolved: ResolvedSession) {
  await deps.db.transaction(async (tx) => {
    const deleted = await repo.deleteSession(tx, resolved.session.id);
    if (deleted) await audit(tx, ctx, { action: 'auth.logout', targetId: resolved.session.id, details: {} });
  });
  if (resolved.session.kind === 'break_glass') return '/';
  return (await deps.oidc.endSessionUrl(resolved.session.idToken)) ?? '/';
}
