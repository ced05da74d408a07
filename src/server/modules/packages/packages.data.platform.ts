import { desc } from 'drizzle-orm';
import { allAlerts } from '../../../../deploy/observability/model/alerts.ts';
import { CLASS_SLOS, SLO_PERIOD } from '../../../../deploy/observability/model/slo.ts';
import type { Database } from '../../db/client.ts';
import { migrationStatus } from '../../db/migrate.ts';
import { readinessRecords } from '../../db/schema.ts';
import { activeModel } from '../claims-model/claims-model.service.ts';
import type { GatherInput } from './packages.data.shared.ts';
import {
  baseFacts,
  dashboardTitles,
  OVERLAY_ENVIRONMENTS,
  overlayFacts,
  probeFacts,
} from './packages.deploy.ts';
import { type Cell, facts, hostOf, type Section, table, text, when } from './packages.doc.ts';

const pct = (ratio: number) => `${(ratio * 100).toFixed(ratio >= 0.999 ? 2 : 1)} %`;

/**
 * Platform Engineering: the runtime per environment (from the Kustomize overlays), probes, SLOs and alert rules
 * (the observability model), dashboards, the last deployment verification and rollback drill per environment,
 * rollback readiness and external dependencies (names and hosts only: never a credential, path or query).
 */
export async function platformSections(input: GatherInput): Promise<Section[]> {
  const { db, config } = input;
  const overlays = OVERLAY_ENVIRONMENTS.map((env) => overlayFacts(env));
  const base = baseFacts();
  const alerts = allAlerts();
  const records = await db
    .select()
    .from(readinessRecords)
    .orderBy(desc(readinessRecords.performedAt))
    .limit(500);
  const latest = (kind: 'deployment_verification' | 'rollback_drill', env: string) =>
    records.find((r) => r.kind === kind && r.environment === env);
  const recordCell = (kind: 'deployment_verification' | 'rollback_drill', env: string): Cell => {
    const r = latest(kind, env);
    return r ? `${r.outcome} ${when(r.performedAt)} (${r.source})` : 'none recorded';
  };
  const migrations = await migrationStatus({ db } as unknown as Database);
  const lastDrill = records.find((r) => r.kind === 'rollback_drill');
  const model = await activeModel(db);
  const database =
    config.database.kind === 'postgres'
      ? `PostgreSQL at ${hostOf(config.database.url)}`
      : 'PGlite (embedded, local only)';
  const configured = (value: string | undefined | null, what: string) =>
    value ? `${what} at ${hostOf(value)}` : 'not configured';

  return [
    {
      heading: 'Runtime by environment',
      blocks: [
        text(
          `This process runs as "${config.readiness.environment}". The overlays in deploy/k8s/overlays describe each environment.`,
        ),
        table(
          ['Environment', 'Host', 'Namespace', 'Replicas', 'Autoscaling', 'Resources', 'Log level'],
          overlays.map((o) => [
            o.environment,
            o.host,
            o.namespace,
            o.replicas,
            o.autoscaling,
            o.resources,
            o.logLevel,
          ]),
        ),
        facts([
          ['Rollout strategy', base.strategy],
          ['Termination grace period', base.terminationGrace],
          ...overlays.map((o): [string, Cell] => [`Image (${o.environment})`, o.image]),
        ]),
      ],
    },
    {
      heading: 'Probes',
      blocks: [
        table(
          ['Probe', 'Path', 'Timing'],
          probeFacts().map((p) => [p.probe, p.path, p.timing]),
        ),
      ],
    },
    {
      heading: `Service level objectives (over ${SLO_PERIOD})`,
      blocks: [
        table(
          ['Route class', 'What', 'Availability', 'Latency'],
          CLASS_SLOS.map((s) => [
            s.class,
            s.description,
            pct(s.availabilityObjective),
            `${pct(s.latencyObjective)} within ${s.latencyThreshold} s`,
          ]),
        ),
      ],
    },
    {
      heading: 'Alert rules',
      blocks: [
        text(
          `${alerts.length} alert rules (${alerts.filter((a) => a.severity === 'page').length} page, ${alerts.filter((a) => a.severity === 'ticket').length} ticket); runbooks in docs/operations/alerts.md.`,
        ),
        table(
          ['Alert', 'Severity', 'For', 'Summary'],
          alerts.map((a) => [a.alert, a.severity, a.for, a.summary.replace(/\{\{[^}]*\}\}/g, '…')]),
        ),
      ],
    },
    {
      heading: 'Dashboards',
      blocks: [
        table(
          ['Dashboard', 'File'],
          dashboardTitles().map((d) => [d.title, `deploy/observability/grafana/${d.file}`]),
        ),
      ],
    },
    {
      heading: 'Deployment verification and rollback drills',
      blocks: [
        table(
          ['Environment', 'Last deployment verification', 'Last rollback drill'],
          (['dev', 'staging', 'prod'] as const).map((env) => [
            env,
            recordCell('deployment_verification', env),
            recordCell('rollback_drill', env),
          ]),
        ),
      ],
    },
    {
      heading: 'Rollback readiness',
      blocks: [
        facts([
          [
            'Migrations',
            migrations.current
              ? `current (${migrations.applied} applied of ${migrations.expected} shipped)`
              : `${migrations.pending.length} pending (${migrations.applied} applied of ${migrations.expected})`,
          ],
          [
            'Last rollback drill',
            lastDrill
              ? `${lastDrill.outcome} in ${lastDrill.environment}, ${when(lastDrill.performedAt)}`
              : 'none recorded',
          ],
          ['Schema compatibility', 'N-1 code runs on schema N (expand/contract migrations)'],
        ]),
      ],
    },
    {
      heading: 'External dependencies',
      blocks: [
        table(
          ['Dependency', 'Where'],
          [
            ['Identity provider (OIDC issuer)', hostOf(model.spec.issuer)],
            ['Database', database],
            ['Trace export (OTLP)', configured(config.observability.tracing.otlpEndpoint, 'OTLP collector')],
            ['Prometheus (alert rules)', configured(config.readiness.prometheusUrl, 'Prometheus')],
            [
              'Slack digest',
              config.digest.webhookUrl ? `webhook at ${hostOf(config.digest.webhookUrl)}` : 'not configured',
            ],
            [
              'Break-glass alert',
              config.breakGlass.webhookUrl
                ? `webhook at ${hostOf(config.breakGlass.webhookUrl)}`
                : 'not configured',
            ],
            ['Speech to text', configured(config.speechToText?.url, 'provider')],
            ['Report summary', configured(config.reportSummary?.url, 'provider')],
          ],
        ),
      ],
    },
  ];
}
