import { open } from 'node:fs/promises';
import path from 'node:path';
import { HR_FEED_LIMITS, MASS_LEAVERS, type OrgImport } from '../contract/api/directory.ts';
import type { Db } from '../server/db/client.ts';
import { AppError } from '../server/errors.ts';
import {
  importAndApply,
  LeaverConfirmationError,
  previewImport,
} from '../server/modules/directory/hr-feed.service.ts';
import { orgStatus } from '../server/modules/directory/org-status.service.ts';
import { systemContext } from '../server/modules/identity/actor.ts';

/**
 * `bi org import <file> [--apply] [--format csv|json]` and `bi org status`: the HR feed from the operator's
 * shell (a nightly CronJob, or a one-off load). Without --apply it is a dry run: the diff is printed and the
 * preview stored (an admin may apply it in the console). With --apply the file is previewed and applied in one
 * transaction; any problem exits 1 and writes nothing.
 */
export const ORG_HELP = `  org import <file> [--apply [--confirm-leavers <n>]] [--format csv|json]
                   HR feed: dry run (prints joiners, movers, leavers, conflicts and row errors), or with
                   --apply import it atomically (leavers are deactivated: sessions end, tokens revoked).
                   Exit 1 on any problem in the file; nothing is written then. An import that would
                   deactivate more than 10% of HR-managed people needs --confirm-leavers <their number>.
  org status       Org sources (SCIM, HR feed): last sync, staleness, people and issue counts;
                   exit 1 when a source is stale.
`;

/** Items of each diff list printed (the counts are always complete). */
const SHOWN = 20;

type Out = (line: string) => void;

export type OrgCommand =
  | { kind: 'import'; file: string; apply: boolean; format: 'csv' | 'json'; confirmLeavers?: number }
  | { kind: 'status' };

/** Arguments → a command, or a usage error (exit 2) before any database is opened. */
export function parseOrgArgs(
  args: string[],
  values: {
    apply?: boolean | undefined;
    format?: string | undefined;
    'confirm-leavers'?: string | undefined;
  },
): OrgCommand | { error: string } {
  if (args[0] === 'status' && args.length === 1) return { kind: 'status' };
  if (args[0] !== 'import' || args.length !== 2 || !args[1])
    return { error: 'Usage: bi org import <file> [--apply] [--format csv|json] | bi org status' };
  const file = args[1];
  const ext = path.extname(file).toLowerCase().slice(1);
  const format = values.format ?? ext;
  if (format !== 'csv' && format !== 'json')
    return { error: `Cannot tell the format of ${file}: name it .csv or .json, or pass --format csv|json.` };
  const confirm = values['confirm-leavers'];
  if (confirm !== undefined && (!/^\d{1,7}$/.test(confirm) || values.apply !== true))
    return { error: '--confirm-leavers takes the number of leavers the dry run printed, with --apply.' };
  return {
    kind: 'import',
    file,
    apply: values.apply === true,
    format,
    ...(confirm !== undefined ? { confirmLeavers: Number(confirm) } : {}),
  };
}

/** The file, refused before reading when it is over the size limit. */
async function readBounded(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > HR_FEED_LIMITS.bytes)
      throw new AppError(
        400,
        'Invalid request',
        `${file} is ${size} bytes; the limit is ${HR_FEED_LIMITS.bytes} bytes (10 MB).`,
      );
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

function printList<T>(out: Out, title: string, total: number, items: T[], line: (item: T) => string) {
  if (total === 0) return;
  out(`${title} (${total}${total > SHOWN ? `, first ${SHOWN} shown` : ''}):`);
  for (const item of items.slice(0, SHOWN)) out(`  ${line(item)}`);
}

const show = (v: string | boolean | null) =>
  v === null ? '(none)' : typeof v === 'boolean' ? String(v) : `"${v}"`;

export function printDiff(out: Out, result: OrgImport) {
  const { counts } = result.diff;
  out(`HR feed ${result.fileName} (sha256 ${result.fileSha256.slice(0, 12)}…): ${counts.rows} rows`);
  out(
    `  joiners ${counts.joiners}, movers ${counts.movers}, leavers ${counts.leavers}, unchanged ${counts.unchanged}, ` +
      `managed by SCIM ${counts.otherSource} (conflicts ${counts.conflicts})`,
  );
  if (result.diff.ignoredColumns.length > 0)
    out(`  ignored columns: ${result.diff.ignoredColumns.join(', ')}`);
  printList(out, 'Joiners', counts.joiners, result.diff.joiners, (j) =>
    [
      `row ${j.row}  ${j.employeeNumber}  ${j.name} <${j.email}>`,
      [j.department, j.title].filter(Boolean).join(' / '),
      j.manager ? `reports to ${j.manager}` : 'top of the org',
    ]
      .filter(Boolean)
      .join(', '),
  );
  printList(
    out,
    'Movers',
    counts.movers,
    result.diff.movers,
    (m) =>
      `row ${m.row}  ${m.employeeNumber}  ${m.name}: ${m.changes.map((c) => `${c.field} ${show(c.before)} → ${show(c.after)}`).join('; ')}`,
  );
  printList(
    out,
    'Leavers (deactivated: sessions end, tokens revoked)',
    counts.leavers,
    result.diff.leavers,
    (l) => `${l.employeeNumber ?? '-'}  ${l.name} <${l.email}>`,
  );
  printList(
    out,
    'Conflicts (SCIM manages these people; its values stay, HR assertions are recorded)',
    counts.conflicts,
    result.diff.conflicts,
    (c) =>
      `row ${c.row}  ${c.employeeNumber ?? '-'}  ${c.name}: ${c.fields.map((f) => `${f.field} ${show(f.inEffect)} (in effect) vs ${show(f.asserted)} (HR)`).join('; ')}`,
  );
}

export async function runOrgCommand(db: Db, command: OrgCommand, out: Out, err: Out, now = () => new Date()) {
  const ctx = systemContext('cli');
  if (command.kind === 'status') {
    const status = await orgStatus(db, now());
    for (const s of status.sources) {
      const state = !s.enabled ? 'disabled' : s.stale ? 'STALE' : s.inUse ? 'fresh' : 'not in use';
      out(
        `${s.source.padEnd(5)} ${state.padEnd(10)} last success ${s.lastSuccessAt ?? '-'}  limit ${s.maxStalenessMinutes} min  manages ${s.managedPeople}`,
      );
      if (s.staleReason) out(`      ${s.staleReason}`);
      if (s.lastError) out(`      last error (${s.lastAttemptAt}): ${s.lastError}`);
    }
    const p = status.people;
    out(
      `people: ${p.active} active, ${p.provisional} provisional, ${p.deactivated} deactivated; by source: SCIM ${p.bySource.scim}, HR ${p.bySource.hr}, none ${p.bySource.none}`,
    );
    out(`hierarchy issues: ${status.hierarchyIssues}; conflicts between sources: ${status.conflicts}`);
    return status.sources.some((s) => s.stale) ? 1 : 0;
  }
  const deps = { db, now };
  try {
    const content = await readBounded(command.file);
    const file = { fileName: path.basename(command.file), format: command.format, content };
    const result = command.apply
      ? await importAndApply(deps, ctx, file, command.confirmLeavers)
      : await previewImport(deps, ctx, file);
    printDiff(out, result);
    if (command.apply && result.result) {
      const r = result.result;
      out(
        `Applied (import ${result.id}): ${r.created} created, ${r.updated} updated, ${r.reactivated} reactivated, ` +
          `${r.deactivated} deactivated (${r.sessionsEnded} sessions ended, ${r.tokensRevoked} tokens revoked).`,
      );
    } else {
      if (result.diff.leaversNeedConfirmation)
        out(
          `Warning: ${result.diff.counts.leavers} leavers, more than ${MASS_LEAVERS.percent}% of the people the HR feed manages: applying needs --confirm-leavers ${result.diff.counts.leavers}.`,
        );
      out(
        `Dry run: nothing changed. Preview ${result.id} stored; apply with --apply or in the admin console.`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof LeaverConfirmationError) {
      err(`${e.message} Nothing was written.`);
      err(`Run the dry run to review them, then add --confirm-leavers ${e.leavers} to --apply.`);
      return 1;
    }
    if (e instanceof AppError) {
      err(e.message);
      for (const f of e.errors ?? []) err(`  ${f.field}  ${f.message}`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      err(`No such file: ${command.file}`);
      return 1;
    }
    throw e;
  }
}
