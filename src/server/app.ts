import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { initialRuleSet } from './modules/access/entitlements.engine.ts';
import { ensureRuleSet } from './modules/access/entitlements.service.ts';
import { exceptionRoutes } from './modules/access/exceptions.routes.ts';
import { ruleRoutes } from './modules/access/rules.routes.ts';
import { accessReviewRoutes } from './modules/access-reviews/access-reviews.routes.ts';
import { analyticsRoutes } from './modules/analytics/analytics.routes.ts';
import { registerUsageTracking } from './modules/analytics/usage.tracking.ts';
import { attachmentRoutes } from './modules/attachments/attachments.routes.ts';
import { registerAuditDenials } from './modules/audit/audit.denials.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { auditIntegrityRoutes } from './modules/audit/audit-integrity.routes.ts';
import { breakGlassRoutes, registerBreakGlassAudit } from './modules/break-glass/break-glass.routes.ts';
import { idpHealthObserver } from './modules/break-glass/idp-health.ts';
import { bugReportRoutes } from './modules/bug-reports/bug-reports.routes.ts';
import { captureConfigRoutes } from './modules/capture/capture-config.routes.ts';
import { claimsModelRoutes } from './modules/claims-model/claims-model.routes.ts';
import { ensureClaimsModel } from './modules/claims-model/claims-model.service.ts';
import { decisionRoutes } from './modules/decisions/decisions.routes.ts';
import { ensureDecisionRegister } from './modules/decisions/decisions.seed.ts';
import { digestRoutes } from './modules/digest/digest.routes.ts';
import { directoryRoutes } from './modules/directory/directory.routes.ts';
import { duplicateRoutes } from './modules/duplicates/duplicates.routes.ts';
import { eventRoutes } from './modules/events/events.routes.ts';
import { exportRoutes } from './modules/exports/exports.routes.ts';
import { snapshotSlots } from './modules/exports/exports.snapshot.ts';
import { formRoutes } from './modules/forms/forms.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { systemContext } from './modules/identity/actor.ts';
import { globalLogoutRoutes } from './modules/identity/global-logout.routes.ts';
import type { OidcClient } from './modules/identity/identity.oidc.ts';
import { identityRoutes } from './modules/identity/identity.routes.ts';
import type { IdentityDeps } from './modules/identity/session.service.ts';
import { sessionRoutes } from './modules/identity/sessions.routes.ts';
import { importRoutes } from './modules/imports/imports.routes.ts';
import { insightRoutes } from './modules/insights/insights.routes.ts';
import { packageRoutes } from './modules/packages/packages.routes.ts';
import { readinessRoutes } from './modules/readiness/readiness.routes.ts';
import { reportingRoutes } from './modules/reporting/reporting.routes.ts';
import { savedViewRoutes } from './modules/saved-views/saved-views.routes.ts';
import { scimRoutes } from './modules/scim/scim.routes.ts';
import { socialRoutes } from './modules/social/social.routes.ts';
import { reportSummarizerFrom } from './modules/summary/report-summary.ts';
import { summaryRoutes } from './modules/summary/summary.routes.ts';
import { telemetryRoutes } from './modules/telemetry/telemetry.routes.ts';
import { themeRoutes } from './modules/themes/themes.routes.ts';
import { tokenRoutes } from './modules/tokens/tokens.routes.ts';
import { tokenAuthenticator } from './modules/tokens/tokens.service.ts';
import { speechToTextFrom } from './modules/transcription/speech-to-text.ts';
import { transcriptionRoutes } from './modules/transcription/transcription.routes.ts';
import { workspaceRoutes } from './modules/workspace/workspace.routes.ts';
import { ensureProgramWorkspace } from './modules/workspace/workspace.seed.ts';
import { registerCollectors } from './observability/collectors.ts';
import { registerHttpTelemetry } from './observability/http.ts';
import { registerPrivilegedLog } from './observability/privileged-log.ts';
import { cookieSettings, registerActor } from './plugins/actor.ts';
import { frameworkErrors, registerErrorHandling } from './plugins/errors.ts';
import { LOG_REDACT, registerRequestLogging, traceLogFields } from './plugins/logging.ts';
import { registerOpenApi, registerOpenApiRoute } from './plugins/openapi.ts';
import { registerRateLimit } from './plugins/rate-limit.ts';
import { genReqId, registerRequestContext } from './plugins/request-context.ts';
import { enforceRouteContract } from './plugins/route-contract.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { registerStaticWeb } from './plugins/static-web.ts';
import './plugins/types.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  oidc: OidcClient;
  sessionSecret: string;
  /** Built web apps (dist/web); absent in API-only tests. */
  webRoot?: string;
  version?: string;
  now?: () => Date;
  /** Override the pino destination (tests pass a stream to read log lines). */
  logStream?: NodeJS.WritableStream;
}

/** The composition root: used by main.ts and by tests. Wires plugins and domain routes; holds no logic. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const now = deps.now ?? (() => new Date());
  const proxyHops = config.trustProxy;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: LOG_REDACT, censor: '[redacted]' },
      base: { service: 'builder-insights', version: deps.version ?? 'dev', env: config.env },
      // traceId and spanId of the active span (request or job) on every line.
      mixin: traceLogFields,
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    // Our own one-line request summary replaces Fastify's per-request lines (plugins/logging.ts).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId,
    bodyLimit: config.bodyLimit,
    // A hop count trusts exactly that many proxies in front of us (the ingress), never a client's header.
    trustProxy: proxyHops === false ? false : (_address: string, hop: number) => hop < proxyHops,
    routerOptions: { maxParamLength: 200 },
    // A path the router cannot read (too long a segment, broken percent-encoding) is a problem+json too.
    frameworkErrors,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The API speaks JSON only: anything else is 415, not a string handed to a schema.
  app.removeContentTypeParser('text/plain');

  // Before anything audits (start-up creates the first claims model and rule set).
  registerPrivilegedLog(app.log);
  enforceRouteContract(app);
  registerRequestContext(app);
  registerHttpTelemetry(app);
  await app.register(cookie);
  await registerSecurityHeaders(app, config.secureCookies);
  const cookies = cookieSettings(config.secureCookies);
  const identity: IdentityDeps = { db: database.db, oidc: deps.oidc, config, now };
  const deployment = { issuer: deps.oidc.settings.issuer, audience: deps.oidc.settings.clientId };
  await ensureClaimsModel(database.db, systemContext('start-up'), deployment, now());
  await ensureRuleSet(database.db, systemContext('start-up'), initialRuleSet(config.access), now());
  await ensureProgramWorkspace(database.db, systemContext('start-up'), now());
  await ensureDecisionRegister(database.db, systemContext('start-up'), now());
  const tokens = tokenAuthenticator({ db: database.db, now });
  registerActor(app, { identity, cookies, sessionSecret: deps.sessionSecret, tokens });
  await registerRateLimit(app, database, deps.sessionSecret, { scale: config.rateLimitScale });
  registerErrorHandling(app);
  registerRequestLogging(app);
  registerUsageTracking(app, { db: database.db, now });
  registerCollectors(database, now, { version: deps.version ?? 'dev', env: config.env });
  registerBreakGlassAudit(app, database.db);
  await registerOpenApi(app, deps.version ?? 'dev');

  healthRoutes(app, { database });
  identityRoutes(app, { identity, cookies, sessionSecret: deps.sessionSecret });
  sessionRoutes(app, identity);
  globalLogoutRoutes(app, { db: database.db, oidc: deps.oidc, config, now });
  claimsModelRoutes(app, { db: database.db, deployment, now });
  insightRoutes(app, { db: database.db, now });
  attachmentRoutes(app, { db: database.db, now });
  transcriptionRoutes(app, { stt: speechToTextFrom(config.speechToText) });
  captureConfigRoutes(app, {
    transcriptionEnabled: config.speechToText !== null,
    version: deps.version ?? 'dev',
  });
  eventRoutes(app, { db: database.db, now });
  importRoutes(app, { db: database.db, now });
  formRoutes(app, { db: database.db, now, publicUrl: config.publicUrl, ipSecret: deps.sessionSecret });
  digestRoutes(app, { db: database.db, now, config });
  const summarizer = reportSummarizerFrom(config.reportSummary);
  reportingRoutes(app, { db: database.db, now, summaryAvailable: summarizer !== null });
  exportRoutes(app, {
    db: database.db,
    now,
    singleConnection: database.kind === 'pglite',
    // Half the pool at most: the rest stays free for the audit events exports write and everyone else.
    snapshotSlots: snapshotSlots(Math.max(1, Math.floor(database.poolStats().max / 2))),
    summaryAvailable: summarizer !== null,
  });
  summaryRoutes(app, { db: database.db, now, summarizer });
  bugReportRoutes(app, { db: database.db, now });
  telemetryRoutes(app, { db: database.db, now });
  socialRoutes(app, { db: database.db, now });
  duplicateRoutes(app, { db: database.db, now });
  themeRoutes(app, { db: database.db, now });
  savedViewRoutes(app, { db: database.db, now });
  tokenRoutes(app, { db: database.db, now });
  scimRoutes(app, { db: database.db, now, publicUrl: config.publicUrl });
  directoryRoutes(app, { db: database.db, now });
  ruleRoutes(app, { db: database.db, now, approval: config.approvals.entitlementRules });
  exceptionRoutes(app, { db: database.db, now, approvers: config.approvals.exceptions });
  accessReviewRoutes(app, { db: database.db, now });
  const idpHealth = idpHealthObserver(database.db, now, app.log);
  deps.oidc.observer = idpHealth;
  breakGlassRoutes(app, {
    db: database.db,
    now,
    config,
    oidc: deps.oidc,
    idpHealth,
    cookies,
    sessionSecret: deps.sessionSecret,
  });
  auditRoutes(app, { db: database.db, now });
  registerAuditDenials(app, { db: database.db });
  auditIntegrityRoutes(app, { db: database.db, now, config });
  analyticsRoutes(app, { db: database.db, now });
  readinessRoutes(app, { db: database.db, now, config });
  decisionRoutes(app, { db: database.db, now, config });
  workspaceRoutes(app, { db: database.db, now, config });
  packageRoutes(app, { db: database.db, now, config });
  registerOpenApiRoute(app);
  if (deps.webRoot) await registerStaticWeb(app, deps.webRoot);

  await app.ready();
  return app;
}
