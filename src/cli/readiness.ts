import { parseArgs } from 'node:util';
import {
  DEPLOY_ENVIRONMENTS,
  type GateStatus,
  type ReadinessReport,
  RecordInput,
  VERDICT_LABEL,
} from '../contract/api/readiness.ts';
import { type Config, ConfigError, loadConfig } from '../server/config.ts';
import { systemContext } from '../server/modules/identity/actor.ts';
import { addRecord } from '../server/modules/readiness/readiness.attest.ts';
import { evaluateReadiness, takeSnapshot } from '../server/modules/readiness/readiness.service.ts';
import { withDatabase } from './database.ts';

/** `bi readiness`: the readiness verdict as a deployment gate (docs/readiness.md#bi-readiness). */
export const READINESS_CLI_HELP = `  readiness [--json] [--no-snapshot]
                   Evaluate the readiness model: the verdict, each block and gate (status, reason). Keeps a
                   snapshot (trigger cli) unless --no-snapshot. Exit 0 on go or go with known issues, 1 on
                   no-go, 2 on usage or database errors: use it as a deployment gate.
  readiness record <deployment-verification|rollback-drill> --env <${DEPLOY_ENVIRONMENTS.join('|')}>
                   --outcome <passed|failed> [--evidence <url>] [--notes <text>] [--performed-at <iso>]
                   Record a deployment verification or rollback drill (audited; the gates read the newest).
`;

type Out = (line: string) => void;

const MARK: Record<GateStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

export function printReport(report: ReadinessReport, out: Out): void {
  const { pass, warn, fail } = report.counts;
  out(
    `Readiness (${report.environment}) at ${report.evaluatedAt}: ${VERDICT_LABEL[report.verdict].toUpperCase()} ` +
      `(${pass} pass, ${warn} warn, ${fail} fail)`,
  );
  for (const reason of report.reasons) out(`  - ${reason}`);
  for (const block of report.blocks) {
    out('');
    out(`${block.label}: ${MARK[block.status]}`);
    for (const gate of block.gates)
      out(`  ${MARK[gate.status]} ${gate.id} (${gate.priority}, ${gate.kind}): ${gate.reason}`);
  }
  if (report.blockers.length > 0) {
    out('');
    out('Open blockers:');
    for (const b of report.blockers) out(`  - ${b.title} (owner ${b.owner}, ${b.status})`);
  }
}

function loadOrReport(env: NodeJS.ProcessEnv | undefined, err: Out): Config | null {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      err(e.message);
      return null;
    }
    throw e;
  }
}

async function guarded(err: Out, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (e) {
    err(`readiness: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

export async function readinessCli(
  argv: string[],
  out: Out,
  err: Out,
  env?: NodeJS.ProcessEnv,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    err(`${e instanceof Error ? e.message : String(e)}\n\nUsage:\n${READINESS_CLI_HELP}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help) {
    out(READINESS_CLI_HELP);
    return 0;
  }
  if (positionals[0] === 'record') return record(positionals.slice(1), values, out, err, env);
  if (positionals.length > 0) {
    err(`Unknown command "readiness ${positionals.join(' ')}".\n\nUsage:\n${READINESS_CLI_HELP}`);
    return 2;
  }
  const config = loadOrReport(env, err);
  if (!config) return 2;
  return guarded(err, () =>
    withDatabase(config, async (database) => {
      const deps = { db: database.db, now: () => new Date(), config };
      let report: ReadinessReport;
      let snapshotId: string | null = null;
      if (values['no-snapshot']) report = await evaluateReadiness(deps);
      else ({ id: snapshotId, report } = await takeSnapshot(deps, systemContext('cli'), 'cli'));
      if (values.json) out(JSON.stringify({ snapshotId, ...report }, null, 2));
      else {
        printReport(report, out);
        out('');
        out(snapshotId ? `Snapshot ${snapshotId} kept.` : 'No snapshot kept (--no-snapshot).');
      }
      return report.verdict === 'no_go' ? 1 : 0;
    }),
  );
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      'no-snapshot': { type: 'boolean' },
      env: { type: 'string' },
      outcome: { type: 'string' },
      evidence: { type: 'string' },
      notes: { type: 'string' },
      'performed-at': { type: 'string' },
    },
  });
}

const KINDS = {
  'deployment-verification': 'deployment_verification',
  'rollback-drill': 'rollback_drill',
} as const;

async function record(
  positionals: string[],
  values: ReturnType<typeof parse>['values'],
  out: Out,
  err: Out,
  env: NodeJS.ProcessEnv | undefined,
): Promise<number> {
  const kind = KINDS[positionals[0] as keyof typeof KINDS];
  if (!kind || positionals.length !== 1) {
    err(`readiness record needs deployment-verification or rollback-drill.\n\nUsage:\n${READINESS_CLI_HELP}`);
    return 2;
  }
  const input = RecordInput.safeParse({
    kind,
    environment: values.env,
    outcome: values.outcome,
    performedAt: values['performed-at'] ?? new Date().toISOString(),
    ...(values.evidence ? { evidenceUrl: values.evidence } : {}),
    ...(values.notes ? { notes: values.notes } : {}),
  });
  if (!input.success) {
    const flag: Record<string, string> = {
      environment: '--env',
      outcome: '--outcome',
      performedAt: '--performed-at',
      evidenceUrl: '--evidence',
      notes: '--notes',
    };
    for (const issue of input.error.issues)
      err(`${flag[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`);
    err(`\nUsage:\n${READINESS_CLI_HELP}`);
    return 2;
  }
  const config = loadOrReport(env, err);
  if (!config) return 2;
  return guarded(err, () =>
    withDatabase(config, async (database) => {
      const saved = await addRecord(database.db, systemContext('cli'), input.data, 'cli', new Date());
      out(
        `Recorded ${positionals[0]} in ${saved.environment}: ${saved.outcome} at ${saved.performedAt} (${saved.id}).`,
      );
      return 0;
    }),
  );
}
