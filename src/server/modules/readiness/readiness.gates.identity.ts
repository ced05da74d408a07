import { listPrincipals } from '../break-glass/break-glass.repo.ts';
import { findActive } from '../claims-model/claims-model.repo.ts';
import { activeModel } from '../claims-model/claims-model.service.ts';
import { ago, DAY, fail, fetchJson, type GateEvaluator, iso, pass, warn } from './readiness.gates.ts';

export const BREAK_GLASS_MAX = 2;
export const BREAK_GLASS_DRILL_DAYS = 90;

/** The trusted issuer is configured and its discovery document answers in time (the dev IdP only locally). */
export const issuerReachable: GateEvaluator = async ({ config }) => {
  const issuer = config.oidc.issuer;
  const environment = config.readiness.environment;
  if (!issuer) {
    const evidence = { issuer: 'development identity provider', environment };
    return environment === 'local'
      ? warn('Signing in uses the development identity provider (acceptable only locally).', evidence)
      : fail(
          `The development identity provider is in use in ${environment}; OIDC_ISSUER is not set.`,
          evidence,
        );
  }
  const url = `${issuer}/.well-known/openid-configuration`;
  const started = performance.now();
  const answer = await fetchJson(url, config.readiness.httpTimeoutMs);
  const evidence = { issuer, discoveryUrl: url, elapsedMs: Math.round(performance.now() - started) };
  if (!answer.ok)
    return fail(`The issuer's discovery document ${answer.error}.`, {
      ...evidence,
      httpStatus: answer.status,
    });
  const advertised = (answer.body as { issuer?: unknown } | null)?.issuer;
  if (typeof advertised !== 'string' || advertised.replace(/\/+$/, '') !== issuer)
    return fail('The discovery document names a different issuer than OIDC_ISSUER.', {
      ...evidence,
      advertisedIssuer: typeof advertised === 'string' ? advertised : null,
    });
  return pass('The issuer is configured and its discovery document answers.', {
    ...evidence,
    httpStatus: 200,
  });
};

export const claimsModelApproved: GateEvaluator = async ({ db }) => {
  const row = await findActive(db);
  if (!row) return fail('No claims model is active.', { activeVersion: null });
  const evidence = { activeVersion: row.version, approvedAt: iso(row.approvedAt), reason: row.reason };
  if (!row.approvedAt)
    return fail(`Claims model version ${row.version} is active but no second admin approved it.`, evidence);
  return pass(`Claims model version ${row.version} is approved.`, evidence);
};

/** The MFA expectation lives in the claims model (mfa.*): admins must present an accepted amr/acr. */
export const mfaPrivileged: GateEvaluator = async ({ db, config }) => {
  const { version, spec } = await activeModel(db);
  const mfa = spec.mfa;
  const evidence = {
    setting: 'claims model mfa.requiredFor',
    claimsModelVersion: version,
    requiredFor: mfa.requiredFor.join(',') || null,
    acceptedAmr: mfa.acceptedAmr.join(',') || null,
    acceptedAcr: mfa.acceptedAcr.join(',') || null,
    stepUpMaxAgeMinutes: mfa.stepUpMaxAgeMinutes,
    adminIdleMinutes: config.session.adminIdleMinutes,
  };
  if (!mfa.requiredFor.includes('admin'))
    return fail('The active claims model does not require MFA for the admin role.', evidence);
  if (mfa.acceptedAmr.length + mfa.acceptedAcr.length === 0)
    return fail('MFA is required for admins but no amr or acr value is accepted as proof.', evidence);
  return pass(
    `MFA is required for ${mfa.requiredFor.join(', ')}; privileged actions need a step-up within ${mfa.stepUpMaxAgeMinutes} minutes.`,
    evidence,
  );
};

export const breakGlass: GateEvaluator = async ({ db, now }) => {
  const active = (await listPrincipals(db)).filter((p) => p.status === 'active');
  const cutoff = now.getTime() - BREAK_GLASS_DRILL_DAYS * DAY;
  const undrilled = active.filter((p) => !p.lastDrillAt || p.lastDrillAt.getTime() < cutoff);
  const oldest = active
    .map((p) => p.lastDrillAt)
    .reduce<Date | null>((min, d) => (!d ? min : !min || d < min ? d : min), null);
  const evidence = {
    activePrincipals: active.length,
    maxPrincipals: BREAK_GLASS_MAX,
    // Counts, not names: everyone with a role reads the report (`bi break-glass list` names them).
    undrilled: undrilled.length,
    neverDrilled: active.filter((p) => !p.lastDrillAt).length,
    oldestDrillAt: iso(oldest),
  };
  if (active.length > BREAK_GLASS_MAX)
    return fail(
      `${active.length} break-glass principals are active; at most ${BREAK_GLASS_MAX} are allowed.`,
      evidence,
    );
  if (undrilled.length > 0)
    return fail(
      `${undrilled.length} of ${active.length} break-glass principal(s) not drilled within ${BREAK_GLASS_DRILL_DAYS} days${
        oldest ? ` (oldest drill ${ago(oldest, now)} ago)` : ' (never drilled)'
      }.`,
      evidence,
    );
  if (active.length === 0)
    return warn(
      'No break-glass principal is enrolled: there is no emergency path if the IdP is down.',
      evidence,
    );
  return pass(
    `${active.length} break-glass principal(s), each drilled within ${BREAK_GLASS_DRILL_DAYS} days.`,
    evidence,
  );
};
