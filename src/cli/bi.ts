import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../server/config.ts';
import { type Database, DataDirLockedError, openDatabase } from '../server/db/client.ts';
import { migrateDatabase, migrationStatus } from '../server/db/migrate.ts';
import { JOBS } from '../server/jobs/catalog.ts';
import { verifyAuditChain } from '../server/modules/audit/audit.service.ts';
import { isEmpty, seedDemoData } from '../server/modules/demo/demo.seed.ts';
import { devIssuer } from '../server/runtime.ts';

/**
 * `bi` — the operator CLI (npm run bi -- <command>). Exit codes: 0 ok, 1 the check or action failed,
 * 2 usage, 75 data dir locked, 78 configuration invalid.
 */
const HELP = `Usage: npm run bi -- <command>

Commands:
  migrate          Apply pending database migrations (safe to run from several replicas).
  migrate status   Show whether every shipped migration is applied.
  seed             Load the demo data set into an empty, non-production database.
  audit verify     Recompute the audit hash chain; exit 1 if any event was edited, deleted or reordered.
  jobs list        List the scheduled jobs and their intervals.
  jobs run <name>  Run one scheduled job now (Kubernetes CronJobs call this when JOBS=external).
  config check     Validate the environment's configuration and print the effective (non-secret) settings.
  help             Show this text.
`;

type Out = (line: string) => void;

async function withDatabase<T>(config: Config, work: (db: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config.database);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** `env` is for tests; the CLI itself lets config.ts read the process environment. */
export async function runCli(argv: string[], out: Out, err: Out, env?: NodeJS.ProcessEnv): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals.join(' ') || 'help';
  if (command === 'help' || values.help) {
    out(HELP);
    return 0;
  }
  const config = loadConfig(env);

  switch (command) {
    case 'config check':
      out(
        JSON.stringify(
          {
            env: config.env,
            publicUrl: config.publicUrl,
            database: config.database.kind,
            oidcIssuer: config.oidc.issuer ?? `(dev identity provider) ${devIssuer(config)}`,
            sessionSecret: config.sessionSecret ? 'set' : 'generated in DATA_DIR (development only)',
            session: config.session,
            access: config.access,
          },
          null,
          2,
        ),
      );
      return 0;
    case 'migrate':
      return withDatabase(config, async (db) => {
        await migrateDatabase(db);
        const status = await migrationStatus(db);
        out(`Migrations applied: ${status.applied} of ${status.expected}; schema is current.`);
        return 0;
      });
    case 'migrate status':
      return withDatabase(config, async (db) => {
        const status = await migrationStatus(db);
        out(
          `Migrations applied: ${status.applied} of ${status.expected} (${status.current ? 'current' : 'pending'}).`,
        );
        return status.current ? 0 : 1;
      });
    case 'seed':
      if (config.env === 'production') {
        err('Refusing to load demo data into a production database.');
        return 1;
      }
      return withDatabase(config, async (db) => {
        await migrateDatabase(db);
        if (!(await isEmpty(db.db))) {
          err(
            'The database already has people, events or insights; demo data is only loaded into an empty one.',
          );
          return 1;
        }
        const result = await seedDemoData(db.db, {
          issuer: config.oidc.issuer ?? devIssuer(config),
          access: config.access,
          now: new Date(),
        });
        out(
          `Demo data loaded: ${result.people} people, ${result.events} events, ${result.insights} insights.`,
        );
        return 0;
      });
    case 'audit verify':
      return withDatabase(config, async (db) => {
        const result = await verifyAuditChain(db.db);
        if (result.ok) {
          out(
            `Audit chain intact: ${result.checked} events verified; head ${result.lastHash} (seq ${result.lastSeq ?? '-'}).`,
          );
          return 0;
        }
        err(`AUDIT CHAIN BROKEN at event ${result.problem?.seq}: ${result.problem?.message}.`);
        err(
          `${result.checked} events before it verified. Treat this as a security incident (docs/operations/audit.md).`,
        );
        return 1;
      });
    case 'jobs list':
      for (const job of JOBS)
        out(`${job.name.padEnd(12)} every ${job.everyMs / 60_000} min: ${job.description}`);
      return 0;
    default:
      if (positionals[0] === 'jobs' && positionals[1] === 'run' && positionals.length === 3) {
        return runJob(config, positionals[2] ?? '', out, err);
      }
      err(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

async function runJob(config: Config, name: string, out: Out, err: Out): Promise<number> {
  const job = JOBS.find((j) => j.name === name);
  if (!job) {
    err(`Unknown job "${name}". Known jobs: ${JOBS.map((j) => j.name).join(', ')}.`);
    return 2;
  }
  return withDatabase(config, async (db) => {
    out(`${name}: ${JSON.stringify(await job.run(db.db, new Date()))}`);
    return 0;
  });
}

if (import.meta.main) {
  runCli(process.argv.slice(2), console.log, console.error)
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      if (e instanceof ConfigError || e instanceof DataDirLockedError) {
        console.error(e.message);
        process.exit(e instanceof ConfigError ? 78 : 75);
      }
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
