import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../server/config.ts';
import { AppError } from '../server/errors.ts';
import { exportRange, startAuditExport } from '../server/modules/audit/audit.export.ts';
import { resolveVerifyKeys } from '../server/modules/audit/audit.keys.ts';
import { PruneRefusedError, planPrune, pruneArchived } from '../server/modules/audit/audit.prune.ts';
import { runVerification } from '../server/modules/audit/audit.verify.ts';
import { systemContext } from '../server/modules/identity/actor.ts';
import { appVersion } from '../server/runtime.ts';
import { withDatabase } from './database.ts';

/** `bi audit verify | export | prune`: the operator's side of the audit log (docs/operations/audit.md). */
export const AUDIT_HELP = `  audit verify     Verify the audit hash chain, its signed checkpoints and archive anchors; prints the
                   head and last checkpoint, or the first bad sequence number and the kind (exit 1).
                   Recorded in audit_verifications.
  audit export [--from <date>] [--to <date>] [--out <file>]
                   The audit log as OCSF JSON Lines (stdout, or a file). Dates are YYYY-MM-DD (UTC; --to
                   includes that day) or ISO date-times. Audited (audit.exported).
  audit prune [--apply]
                   Show the archived segments that may leave the database; --apply deletes them (all or
                   nothing) after checking each archive file's SHA-256. Needs the table owner's credentials.
`;

type Out = (line: string) => void;
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface AuditCliOptions {
  from?: string | undefined;
  to?: string | undefined;
  out?: string | undefined;
  apply?: boolean | undefined;
}

async function verify(config: Config, out: Out, err: Out): Promise<number> {
  return withDatabase(config, async ({ db }) => {
    const { result, record } = await runVerification(db, resolveVerifyKeys(config), 'cli', () => new Date());
    const cp = result.lastCheckpoint;
    const checkpoints = cp
      ? `${result.checkpointsChecked} checkpoints verified; last checkpoint at event ${cp.seq} (${iso(cp.createdAt)}, key ${cp.keyId}).`
      : 'No signed checkpoints yet (the audit-checkpoint job signs the head).';
    const anchor = result.anchor
      ? ` Events up to ${result.anchor.seq} were pruned (kept in the archive files).`
      : '';
    if (result.ok) {
      out(
        `Audit chain intact: ${result.checked} events verified; head ${result.lastHash} (seq ${result.lastSeq ?? result.anchor?.seq ?? '-'}).`,
      );
      out(`${checkpoints}${anchor}`);
      out(`Recorded as verification ${record.id}.`);
      return 0;
    }
    const problem = result.problem;
    err(`AUDIT CHAIN BROKEN at event ${problem?.seq} (${problem?.kind}): ${problem?.message}.`);
    err(
      `${result.checked} events before it verified; head seq ${result.head?.seq ?? '-'}. ${checkpoints}${anchor}`,
    );
    err(
      `Recorded as verification ${record.id}. Treat this as a security incident (docs/operations/audit.md).`,
    );
    return 1;
  });
}

async function exportJsonLines(
  config: Config,
  options: AuditCliOptions,
  out: Out,
  err: Out,
): Promise<number> {
  const range = exportRange(options, (name) => `--${name}`);
  return withDatabase(config, async ({ db }) => {
    const started = await startAuditExport(db, systemContext('cli'), range, 'cli', appVersion());
    const summary = `Exported ${started.count} events (through seq ${started.throughSeq ?? '-'})`;
    if (!options.out) {
      for await (const chunk of started.lines) out(chunk.replace(/\n$/, ''));
      err(`${summary}.`);
      return 0;
    }
    const target = path.resolve(options.out);
    const temp = `${target}.partial-${randomBytes(4).toString('hex')}`;
    const file = await open(temp, 'wx', 0o600);
    try {
      for await (const chunk of started.lines) await file.write(chunk);
      await file.sync();
    } catch (e) {
      await file.close();
      await rm(temp, { force: true });
      throw e;
    }
    await file.close();
    await rename(temp, target);
    out(`${summary} to ${target}.`);
    return 0;
  });
}

async function prune(config: Config, apply: boolean, out: Out, err: Out): Promise<number> {
  const keys = resolveVerifyKeys(config);
  return withDatabase(
    config,
    async ({ db }) => {
      const plan = await planPrune(db, keys);
      if (plan.length === 0) {
        out(
          'Nothing to prune: no archived segment is still in the database (the audit-archive job writes them).',
        );
        return 0;
      }
      for (const { archive, problem } of plan)
        out(
          `${path.basename(archive.location)}  events ${archive.firstSeq}-${archive.lastSeq} (${archive.eventCount})  ${problem ? `REFUSED: ${problem}` : 'ok'}`,
        );
      if (!apply) {
        out(
          'Dry run: nothing deleted. Run `bi audit prune --apply` to delete these events from the database.',
        );
        return plan.some((p) => p.problem) ? 1 : 0;
      }
      try {
        const pruned = await pruneArchived(db, keys, systemContext('cli'), new Date());
        const events = pruned.reduce((n, a) => n + a.eventCount, 0);
        out(
          `Pruned ${events} events (${pruned[0]?.firstSeq}-${pruned.at(-1)?.lastSeq}) in ${pruned.length} segments; the archive files stay in ${config.audit.archiveDir}.`,
        );
        return 0;
      } catch (e) {
        if (e instanceof PruneRefusedError) {
          err(e.message);
          return 1;
        }
        const code =
          (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
        if (code === '42501') {
          err(
            'bi audit prune needs the credentials of the audit tables’ owner (it switches the append-only trigger off ' +
              'for its own transaction): run it with the migration role’s DATABASE_URL. Nothing was deleted.',
          );
          return 1;
        }
        throw e;
      }
    },
    { asOwner: true },
  );
}

/** Runs `audit <sub>`; 2 = usage. */
export async function auditCli(
  config: Config,
  sub: string,
  options: AuditCliOptions,
  out: Out,
  err: Out,
): Promise<number> {
  try {
    if (sub === 'verify') return await verify(config, out, err);
    if (sub === 'export') return await exportJsonLines(config, options, out, err);
    if (sub === 'prune') return await prune(config, options.apply === true, out, err);
  } catch (e) {
    if (e instanceof AppError) {
      err(`${e.message} ${(e.errors ?? []).map((f) => `${f.field}: ${f.message}`).join('; ')}`.trim());
      return 2;
    }
    throw e;
  }
  err(`Unknown command "audit ${sub}". Known: audit verify, audit export, audit prune.`);
  return 2;
}
