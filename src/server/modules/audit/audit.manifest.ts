import path from 'node:path';
import type { auditArchives } from '../../db/schema.ts';

/** An archive segment's manifest row (audit_archives): what its signature covers and how its file is named. */
export type ArchiveRow = typeof auditArchives.$inferSelect;

/** What an archive manifest's signature covers (canonical JSON). */
export function archivePayload(
  a: Pick<
    ArchiveRow,
    | 'firstSeq'
    | 'lastSeq'
    | 'firstPrevHash'
    | 'lastHash'
    | 'eventCount'
    | 'sha256'
    | 'location'
    | 'createdAt'
    | 'keyId'
  >,
): Record<string, unknown> {
  return {
    firstSeq: a.firstSeq,
    lastSeq: a.lastSeq,
    firstPrevHash: a.firstPrevHash,
    lastHash: a.lastHash,
    eventCount: a.eventCount,
    sha256: a.sha256,
    file: path.basename(a.location),
    createdAt: a.createdAt.toISOString(),
    keyId: a.keyId,
  };
}

/** audit-events-000000000001-000000050000.ocsf.jsonl: the seq range, sortable by name. */
export function archiveFileName(firstSeq: number, lastSeq: number): string {
  const pad = (n: number) => String(n).padStart(12, '0');
  return `audit-events-${pad(firstSeq)}-${pad(lastSeq)}.ocsf.jsonl`;
}
