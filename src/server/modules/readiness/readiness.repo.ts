import { and, desc, eq, getTableColumns, inArray, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DeployEnvironment, RecordKind } from '../../../contract/api/readiness.ts';
import type { Db } from '../../db/client.ts';
import {
  people,
  readinessAttestations,
  readinessRecords,
  readinessSnapshots,
  risks,
  runtimeSignals,
} from '../../db/schema.ts';

export type AttestationRow = typeof readinessAttestations.$inferSelect;
export type RecordRow = typeof readinessRecords.$inferSelect;
export type SnapshotRow = typeof readinessSnapshots.$inferSelect;
export type SignalRow = typeof runtimeSignals.$inferSelect;
export type Named = { id: string; name: string } | null;

const attester = alias(people, 'attester');
const recorder = alias(people, 'recorder');
const taker = alias(people, 'taker');

export async function listAttestations(
  db: Db,
): Promise<(AttestationRow & { attestedByName: string | null })[]> {
  return db
    .select({ ...getTableColumns(readinessAttestations), attestedByName: attester.displayName })
    .from(readinessAttestations)
    .leftJoin(attester, eq(attester.id, readinessAttestations.attestedBy))
    .orderBy(readinessAttestations.gateId);
}

/** Row-locked read inside the transaction that changes it (two admins attesting at once: one gets a 409). */
export async function lockAttestation(tx: Db, gateId: string): Promise<AttestationRow | null> {
  const [row] = await tx
    .select()
    .from(readinessAttestations)
    .where(eq(readinessAttestations.gateId, gateId))
    .for('update');
  return row ?? null;
}

export async function insertAttestation(tx: Db, row: typeof readinessAttestations.$inferInsert) {
  const [created] = await tx.insert(readinessAttestations).values(row).onConflictDoNothing().returning();
  return created ?? null;
}

export async function updateAttestation(
  tx: Db,
  gateId: string,
  fromVersion: number,
  values: Omit<typeof readinessAttestations.$inferInsert, 'gateId' | 'version'>,
) {
  const [row] = await tx
    .update(readinessAttestations)
    .set({ ...values, version: fromVersion + 1 })
    .where(and(eq(readinessAttestations.gateId, gateId), eq(readinessAttestations.version, fromVersion)))
    .returning();
  return row ?? null;
}

export async function deleteAttestation(tx: Db, gateId: string) {
  await tx.delete(readinessAttestations).where(eq(readinessAttestations.gateId, gateId));
}

export async function personName(db: Db, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [row] = await db.select({ name: people.displayName }).from(people).where(eq(people.id, id));
  return row?.name ?? null;
}

/** The newest record of a kind for an environment (by when it was performed). */
export async function latestRecord(
  db: Db,
  kind: RecordKind,
  environment: DeployEnvironment,
): Promise<RecordRow | null> {
  const [row] = await db
    .select()
    .from(readinessRecords)
    .where(and(eq(readinessRecords.kind, kind), eq(readinessRecords.environment, environment)))
    .orderBy(desc(readinessRecords.performedAt), desc(readinessRecords.createdAt))
    .limit(1);
  return row ?? null;
}

export async function insertRecord(tx: Db, row: typeof readinessRecords.$inferInsert): Promise<RecordRow> {
  const [created] = await tx.insert(readinessRecords).values(row).returning();
  if (!created) throw new Error('readiness record insert returned nothing');
  return created;
}

export async function listRecords(
  db: Db,
  filter: { kind?: RecordKind | undefined; environment?: DeployEnvironment | undefined },
  limit: number,
) {
  const where = and(
    filter.kind ? eq(readinessRecords.kind, filter.kind) : undefined,
    filter.environment ? eq(readinessRecords.environment, filter.environment) : undefined,
  );
  return db
    .select({ ...getTableColumns(readinessRecords), recordedByName: recorder.displayName })
    .from(readinessRecords)
    .leftJoin(recorder, eq(recorder.id, readinessRecords.recordedBy))
    .where(where)
    .orderBy(desc(readinessRecords.performedAt), desc(readinessRecords.createdAt))
    .limit(limit);
}

export async function readSignal(db: Db, key: string): Promise<SignalRow | null> {
  const [row] = await db.select().from(runtimeSignals).where(eq(runtimeSignals.key, key));
  return row ?? null;
}

export async function upsertSignal(db: Db, key: string, observedAt: Date, detail: Record<string, unknown>) {
  await db
    .insert(runtimeSignals)
    .values({ key, observedAt, detail })
    .onConflictDoUpdate({ target: runtimeSignals.key, set: { observedAt, detail } });
}

/** Risks at level "blocker" still open or being mitigated: each one blocks the rollout verdict. */
export async function openBlockers(db: Db) {
  return db
    .select({ id: risks.id, title: risks.title, owner: risks.owner, status: risks.status })
    .from(risks)
    .where(and(eq(risks.level, 'blocker'), inArray(risks.status, ['open', 'mitigating'])))
    .orderBy(risks.createdAt, risks.id);
}

export async function insertSnapshot(
  tx: Db,
  row: typeof readinessSnapshots.$inferInsert,
): Promise<SnapshotRow> {
  const [created] = await tx.insert(readinessSnapshots).values(row).returning();
  if (!created) throw new Error('readiness snapshot insert returned nothing');
  return created;
}

const snapshotSummary = {
  id: readinessSnapshots.id,
  takenAt: readinessSnapshots.takenAt,
  trigger: readinessSnapshots.trigger,
  takenBy: readinessSnapshots.takenBy,
  takenByName: taker.displayName,
  environment: readinessSnapshots.environment,
  verdict: readinessSnapshots.verdict,
  counts: sql<{ pass: number; warn: number; fail: number }>`${readinessSnapshots.report}->'counts'`,
};

/** Newest first, keyset-paged on (taken_at, id). */
export async function listSnapshots(db: Db, after: { at: Date; id: string } | null, limit: number) {
  return db
    .select(snapshotSummary)
    .from(readinessSnapshots)
    .leftJoin(taker, eq(taker.id, readinessSnapshots.takenBy))
    .where(
      after
        ? or(
            lt(readinessSnapshots.takenAt, after.at),
            and(eq(readinessSnapshots.takenAt, after.at), lt(readinessSnapshots.id, after.id)),
          )
        : undefined,
    )
    .orderBy(desc(readinessSnapshots.takenAt), desc(readinessSnapshots.id))
    .limit(limit);
}

export async function findSnapshot(db: Db, id: string) {
  const [row] = await db
    .select({ ...snapshotSummary, report: readinessSnapshots.report })
    .from(readinessSnapshots)
    .leftJoin(taker, eq(taker.id, readinessSnapshots.takenBy))
    .where(eq(readinessSnapshots.id, id));
  return row ?? null;
}
