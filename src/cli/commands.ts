import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../server/config.ts';
import { migrateDatabase, migrationStatus } from '../server/db/migrate.ts';
import { AppError } from '../server/errors.ts';
import { JOBS } from '../server/jobs/catalog.ts';
import { initialRuleSet } from '../server/modules/access/entitlements.engine.ts';
import {
  drillPrincipal,
  enrollPrincipal,
  listPrincipals,
  revokePrincipal,
} from '../server/modules/break-glass/break-glass.service.ts';
import { isEmpty, seedDemoData } from '../server/modules/demo/demo.seed.ts';
import { systemContext } from '../server/modules/identity/actor.ts';
import { OidcClient } from '../server/modules/identity/identity.oidc.ts';
import { devIssuer, resolveSessionSecret } from '../server/runtime.ts';
import { AUDIT_HELP, auditCli } from './audit.ts';
import { BACKUP_HELP, backupCli } from './backup.ts';
import { withDatabase } from './database.ts';
import { runScheduledJob } from './jobs.ts';
import { ORG_HELP, parseOrgArgs, runOrgCommand } from './org.ts';
import { READINESS_CLI_HELP, readinessCli } from './readiness.ts';
import { SCIM_HELP, scimCredentialCli } from './scim.ts';
import { runServe, SERVE_HELP } from './serve.ts';
import { VERIFY_HELP, verifyDeploymentCli } from './verify-deployment.ts';

/**
 * The commands of `bi`, the operator CLI (npm run bi -- <command>; the entry point is bi.ts). Exit codes: 0 ok,
 * 1 the check or action failed, 2 usage, 75 data dir locked, 78 configuration invalid.
 */
const HELP = `Usage: npm run bi -- <command>

Commands:
${SERVE_HELP}  migrate          Apply pending database migrations (safe to run from several replicas).
  migrate status   Show whether every shipped migration is applied.
  seed             Load the demo data set into an empty, non-production database.
${AUDIT_HELP}  jobs list        List the scheduled jobs and their intervals.
  jobs run <name>  Run one scheduled job now (Kubernetes CronJobs call this when JOBS=external).
  config check     Validate the environment's configuration and print the effective (non-secret) settings.
  break-glass enroll --name <name>
                   Provision an emergency principal (at most two active): prints its secret and TOTP
                   enrolment URI once. Uses SESSION_SECRET: run it with the server's value.
  break-glass list List the break-glass principals, their last use and last drill.
  break-glass revoke --name <name>
                   Revoke a principal; its open break-glass session ends.
  break-glass drill --name <name>
                   Prove the path works without granting access: reads the secret and a current code
                   (two lines) from stdin, probes the identity provider, says whether break-glass would
                   open now and why, and records the drill date. (--secret/--code exist for tests.)
${ORG_HELP}${SCIM_HELP}${VERIFY_HELP}${READINESS_CLI_HELP}${BACKUP_HELP}  help             Show this text.
`;

type Out = (line: string) => void;

/** `env` is for tests; the CLI itself lets config.ts read the process environment. */
export async function runCli(argv: string[], out: Out, err: Out, env?: NodeJS.ProcessEnv): Promise<number> {
  // Own options, parsed in their own files: verify-deployment needs no configuration; backup/restore read it.
  if (argv[0] === 'verify-deployment') return verifyDeploymentCli(argv.slice(1), out, err, env);
  if (argv[0] === 'readiness') return readinessCli(argv.slice(1), out, err, env);
  if (argv[0] === 'backup' || argv[0] === 'restore') return backupCli(argv[0], argv.slice(1), out, err, env);
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      name: { type: 'string' },
      secret: { type: 'string' },
      code: { type: 'string' },
      apply: { type: 'boolean' },
      format: { type: 'string' },
      'confirm-leavers': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
    },
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
            // Only the bootstrap: once the database holds rule-set version 1, admins change rules in the app.
            entitlementRulesBootstrap: initialRuleSet(config.access),
          },
          null,
          2,
        ),
      );
      return 0;
    case 'serve':
      return runServe(config);
    case 'migrate':
      return withDatabase(
        config,
        async (db) => {
          await migrateDatabase(db);
          const status = await migrationStatus(db);
          out(`Migrations applied: ${status.applied} of ${status.expected}; schema is current.`);
          return 0;
        },
        { asOwner: true },
      );
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
      return withDatabase(
        config,
        async (db) => {
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
        },
        { asOwner: true },
      );
    case 'audit verify':
    case 'audit export':
    case 'audit prune':
      return auditCli(config, positionals[1] ?? '', values, out, err);
    case 'jobs list':
      for (const job of JOBS)
        out(
          `${job.name.padEnd(Math.max(...JOBS.map((j) => j.name.length)))} every ${job.everyMs / 60_000} min: ${job.description}`,
        );
      return 0;
    default:
      if (positionals[0] === 'jobs' && positionals[1] === 'run' && positionals.length === 3) {
        return runJob(config, positionals[2] ?? '', out, err);
      }
      if (positionals[0] === 'org') {
        const org = parseOrgArgs(positionals.slice(1), values);
        if ('error' in org) {
          err(org.error);
          return 2;
        }
        return withDatabase(config, (db) => runOrgCommand(db.db, org, out, err));
      }
      if (positionals[0] === 'scim' && positionals[1] === 'credential' && positionals.length === 3) {
        const sub = positionals[2] ?? '';
        return scimCredentialCli((work) => withDatabase(config, (d) => work(d.db)), sub, values, out, err);
      }
      if (positionals[0] === 'break-glass' && positionals.length === 2) {
        return breakGlass(config, positionals[1] ?? '', values, out, err);
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
  // Recorded in job_runs, traced, counted and logged like a scheduled run (cli/jobs.ts).
  return withDatabase(config, (db) => runScheduledJob(config, job, db, out, err));
}

const when = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

async function readTwoLines(err: Out): Promise<[string, string]> {
  if (process.stdin.isTTY) err('Enter the secret, then the current 6-digit code, one per line:');
  const lines: string[] = [];
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    lines.push(line.trim());
    if (lines.length === 2) break;
  }
  rl.close();
  return [lines[0] ?? '', lines[1] ?? ''];
}

async function breakGlass(
  config: Config,
  sub: string,
  values: { name?: string | undefined; secret?: string | undefined; code?: string | undefined },
  out: Out,
  err: Out,
): Promise<number> {
  if (!['enroll', 'list', 'revoke', 'drill'].includes(sub)) {
    err(`Unknown command "break-glass ${sub}".\n\n${HELP}`);
    return 2;
  }
  const name = values.name ?? '';
  if (sub !== 'list' && !name) {
    err(`break-glass ${sub} needs --name <name>.`);
    return 2;
  }
  const sessionSecret = resolveSessionSecret(config);
  const ctx = systemContext('cli');
  return withDatabase(config, async (database) => {
    const deps = { db: database.db, sessionSecret, now: () => new Date() };
    try {
      if (sub === 'enroll') {
        const enrolled = await enrollPrincipal(deps, ctx, name);
        out(`Break-glass principal "${enrolled.name}" enrolled. Shown once; store both offline, apart:`);
        out(`  secret:   ${enrolled.secret}`);
        out(`  TOTP URI: ${enrolled.otpauthUri}`);
        out(
          'Add the URI to an authenticator app, then run `bi break-glass drill --name <name>` to prove it works.',
        );
        return 0;
      }
      if (sub === 'list') {
        const principals = await listPrincipals(deps);
        if (principals.length === 0)
          out('No break-glass principals. Enroll one with `bi break-glass enroll --name <name>`.');
        for (const p of principals) {
          const locked =
            p.lockedUntil && p.lockedUntil > new Date() ? `  locked until ${when(p.lockedUntil)}` : '';
          out(
            `${p.name.padEnd(20)} ${p.status.padEnd(8)} enrolled ${when(p.enrolledAt)}  last used ${when(p.lastUsedAt)}  last drill ${when(p.lastDrillAt)}${locked}`,
          );
        }
        return 0;
      }
      if (sub === 'revoke') {
        const { sessionsEnded } = await revokePrincipal(deps, ctx, name);
        out(
          `Break-glass principal "${name}" revoked${sessionsEnded ? `; ${sessionsEnded} open session ended` : ''}.`,
        );
        return 0;
      }
      const [secret, code] =
        values.secret !== undefined && values.code !== undefined
          ? [values.secret, values.code]
          : await readTwoLines(err);
      const issuer = config.oidc.issuer;
      const result = await drillPrincipal(deps, ctx, {
        name,
        secret,
        code,
        idpDownMinutes: config.breakGlass.idpDownMinutes,
        idpLabel: issuer ? `identity provider ${issuer}` : 'dev identity provider',
        probe: async () =>
          issuer
            ? new OidcClient({ ...config.oidc, issuer, allowHttp: config.env !== 'production' }).probe()
            : null,
      });
      out(`Drill of "${result.name}" at ${when(new Date())}:`);
      out(`  factors:  ${result.verified ? 'secret and code verified' : `NOT verified (${result.failure})`}`);
      out(`  IdP:      ${result.idp.how}`);
      out(
        `  would open now: ${result.verdict.open ? `yes (${result.verdict.mode}): ${result.verdict.why}` : `no: ${result.verdict.why}`}`,
      );
      out(`  last drill recorded: ${when(result.lastDrillAt)}. No session was created.`);
      return result.verified ? 0 : 1;
    } catch (e) {
      if (e instanceof AppError) {
        err(
          e.errors?.length
            ? `${e.message} ${e.errors.map((f) => `${f.field} ${f.message}`).join('; ')}`
            : e.message,
        );
        return 1;
      }
      throw e;
    }
  });
}
