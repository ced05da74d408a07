import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { OrgSource } from '../../../contract/audit-events.ts';
import type { Db } from '../../db/client.ts';
import { people } from '../../db/schema.ts';

/** One person as an HR import plans against it. */
export interface OrgPerson {
  id: string;
  status: 'provisional' | 'active' | 'deactivated';
  email: string;
  displayName: string;
  employeeNumber: string | null;
  department: string | null;
  title: string | null;
  managerId: string | null;
  builderRelations: boolean;
  orgSource: OrgSource | null;
  /** What the HR feed last asserted (source_records.hr), to rewrite it only when it changes. */
  hrRecord: Record<string, unknown> | null;
}

export interface OrgSnapshot {
  people: OrgPerson[];
  /** Changes whenever an org fact of anyone changes: an import applies only to the org it previewed. */
  fingerprint: string;
}

/** Everyone's org facts in one query (a few MB at 50,000 people), and their fingerprint. */
export async function loadOrgSnapshot(db: Db): Promise<OrgSnapshot> {
  const rows = await db
    .select({
      id: people.id,
      status: people.status,
      email: people.email,
      displayName: people.displayName,
      employeeNumber: people.employeeNumber,
      department: people.department,
      title: people.title,
      managerId: people.managerId,
      builderRelations: people.builderRelations,
      orgSource: people.orgSource,
      hrRecord: sql<Record<string, unknown> | null>`${people.sourceRecords} -> 'hr'`,
    })
    .from(people);
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { people: rows, fingerprint: fingerprintOf(rows) };
}

export function fingerprintOf(rows: readonly OrgPerson[]): string {
  const hash = createHash('sha256');
  for (const p of rows) {
    hash.update(
      JSON.stringify([
        p.id,
        p.status,
        p.email,
        p.displayName,
        p.employeeNumber,
        p.department,
        p.title,
        p.managerId,
        p.builderRelations,
        p.orgSource,
      ]),
    );
    hash.update('\n');
  }
  return hash.digest('hex');
}
