import type { GateResult, ReadinessBlockId } from '../../../contract/api/readiness.ts';

/**
 * Every readiness gate (docs/readiness.md has one section per gate, anchored by its id): its block, priority,
 * whether the service evaluates it from live state (automatic) or an accountable owner attests it (manual),
 * and how to make a failing one pass. The evaluators live in readiness.gates.*.ts.
 */
export interface GateDefinition {
  id: string;
  block: ReadinessBlockId;
  title: string;
  priority: GateResult['priority'];
  kind: GateResult['kind'];
  /** Manual: the accountable owner the attestation should name; automatic: the owning team. */
  owner: string;
  fix: string;
}

const auto = (
  id: string,
  block: ReadinessBlockId,
  priority: GateResult['priority'],
  owner: string,
  title: string,
  fix: string,
): GateDefinition => ({ id, block, title, priority, kind: 'automatic', owner, fix });
const manual = (
  id: string,
  block: ReadinessBlockId,
  priority: GateResult['priority'],
  owner: string,
  title: string,
  fix: string,
): GateDefinition => ({ id, block, title, priority, kind: 'manual', owner, fix });

const SECURITY = 'Identity and Security';
const PLATFORM = 'Platform Engineering';
const APP = 'Application Engineering';
const ORG = 'Builder Relations Ops and Org Systems';

export const GATES: readonly GateDefinition[] = [
  // Workforce identity
  auto(
    'identity.issuer_reachable',
    'workforce_identity',
    'P0',
    SECURITY,
    'OIDC issuer configured and reachable',
    'Set OIDC_ISSUER (with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET) to the Okta authorization server and make sure ' +
      '<issuer>/.well-known/openid-configuration answers from the cluster within 3 seconds.',
  ),
  auto(
    'identity.claims_model_approved',
    'workforce_identity',
    'P0',
    SECURITY,
    'Active claims model approved',
    'A second admin approves the active claims-model version (Admin → Identity → Claims model → Approve).',
  ),
  auto(
    'identity.mfa_privileged',
    'workforce_identity',
    'P0',
    SECURITY,
    'MFA enforced for privileged roles',
    'In the active claims model, require MFA for the admin role (mfa.requiredFor includes admin) with at least ' +
      'one accepted amr or acr value, then have it approved.',
  ),
  auto(
    'identity.break_glass',
    'workforce_identity',
    'P0',
    SECURITY,
    'Break-glass limited and drilled',
    'Keep one or two active break-glass principals (`bi break-glass revoke` the rest) and run a drill for each ' +
      'at least every 90 days with `bi break-glass drill`.',
  ),
  manual(
    'identity.okta_app_registered',
    'workforce_identity',
    'P0',
    SECURITY,
    'Okta app registered for this environment',
    'Identity and Security registers the OIDC app (redirect and logout URLs of this environment, groups claim) ' +
      'and attests it with a link to the Okta change record.',
  ),
  // Org-aware access
  auto(
    'org.source_fresh',
    'org_aware_access',
    'P0',
    ORG,
    'Org source fresh',
    'Fix the failing SCIM or HR-feed sync (Admin → Org status shows the last error) or adjust its maximum ' +
      'staleness if the agreed refresh model changed.',
  ),
  auto(
    'org.no_expired_exceptions',
    'org_aware_access',
    'P0',
    SECURITY,
    'No expired access exception still active',
    'Run the exception-expiry job (`bi jobs run exception-expiry`) and check it is scheduled; it marks every ' +
      'exception past its expiry as expired.',
  ),
  auto(
    'org.access_review_cadence',
    'org_aware_access',
    'P0',
    SECURITY,
    'Access review completed within the cadence',
    'Start an access review campaign (Admin → Access reviews), have reviewers decide every item and close it; ' +
      'one must complete at least every 90 days.',
  ),
  manual(
    'org.source_confirmed',
    'org_aware_access',
    'P0',
    ORG,
    'Org source of truth confirmed',
    'Builder Relations Ops and Org Systems confirm the HRIS or approved org graph feeding membership and the ' +
      'manager chain, and attest it with a link to the decision.',
  ),
  // Kanopy readiness
  auto(
    'runtime.migrations_current',
    'kanopy_readiness',
    'P0',
    PLATFORM,
    'Database migrations current',
    'Run `bi migrate` (the migration Job of the release) against this database.',
  ),
  auto(
    'runtime.deployment_verified',
    'kanopy_readiness',
    'P0',
    PLATFORM,
    'Deployment verified in this environment',
    'Run `bi verify-deployment --record --env <environment>` after the rollout (or record the checklist via ' +
      '`bi readiness record deployment-verification`); it must pass and be at most 30 days old.',
  ),
  manual(
    'runtime.ingress_dns_planned',
    'kanopy_readiness',
    'P0',
    PLATFORM,
    'Ingress, DNS and login callback URLs planned',
    'Platform Engineering plans the ingress host, DNS record and the OIDC callback/logout URLs and attests it ' +
      'with a link to the plan.',
  ),
  manual(
    'runtime.secrets_central_store',
    'kanopy_readiness',
    'P0',
    PLATFORM,
    'Secrets in the central store',
    'Platform Engineering moves every secret (OIDC client secret, session secret, audit signing key, database ' +
      'URL) into the central secret store behind the ExternalSecret and attests it.',
  ),
  // Deployment operations
  auto(
    'deploy.rollback_drill',
    'deployment_operations',
    'P0',
    PLATFORM,
    'Rollback drill passed within 90 days',
    'Run the rollback playbook (docs/operations/rollback.md) in this environment and record it with ' +
      '`bi readiness record rollback-drill --env <environment> --outcome passed`.',
  ),
  manual(
    'deploy.release_gate_passed',
    'deployment_operations',
    'P0',
    APP,
    'Capture release gate P0 suite passed',
    'Application Engineering runs the capture release gate P0 suite on the release candidate and attests it ' +
      'with a link to the run.',
  ),
  // Reliability telemetry
  auto(
    'telemetry.metrics_scraped',
    'reliability_telemetry',
    'P0',
    PLATFORM,
    'Metrics scraped in the last 5 minutes',
    'Make sure the ServiceMonitor selects the service and Prometheus reaches the metrics port (METRICS_PORT, ' +
      'default 9464); every successful scrape is recorded.',
  ),
  auto(
    'telemetry.alert_rules_loaded',
    'reliability_telemetry',
    'P1',
    PLATFORM,
    'Alert rules loaded in Prometheus',
    'Set PROMETHEUS_URL to the Prometheus that scrapes the service and apply the PrometheusRule ' +
      '(deploy/k8s/base/prometheus-rule.yaml) so it loads every alert.',
  ),
  auto(
    'telemetry.tracing_export',
    'reliability_telemetry',
    'P1',
    PLATFORM,
    'Traces exported',
    'Set OTEL_EXPORTER_OTLP_ENDPOINT to the OpenTelemetry collector.',
  ),
  manual(
    'telemetry.dashboard_ownership',
    'reliability_telemetry',
    'P1',
    'Platform Engineering, Product, and Application Engineering',
    'Dashboards have named owners',
    'Platform Engineering, Product and Application Engineering name an owner for each dashboard and attest it.',
  ),
  // Audit and ownership
  auto(
    'audit.chain_verified',
    'audit_ownership',
    'P0',
    SECURITY,
    'Audit chain verified in the last 24 hours',
    'Check the audit-verify job runs (`bi audit verify` runs it by hand); a failed verification means the log ' +
      'was altered: follow docs/operations/audit.md.',
  ),
  auto(
    'audit.checkpoint_recent',
    'audit_ownership',
    'P1',
    SECURITY,
    'Signed audit checkpoint recent',
    'Check the audit-checkpoint job runs and the signing key (AUDIT_SIGNING_KEY) is configured.',
  ),
  manual(
    'audit.owners_named',
    'audit_ownership',
    'P0',
    SECURITY,
    'Owners named for access reviews, exceptions and audit follow-up',
    'Identity and Security name the owners of access reviews, exceptions and audit follow-up and attest it ' +
      'with a link to the ownership record.',
  ),
];

export const GATE_BY_ID: ReadonlyMap<string, GateDefinition> = new Map(GATES.map((g) => [g.id, g]));
export const MANUAL_GATE_IDS = GATES.filter((g) => g.kind === 'manual').map((g) => g.id);
