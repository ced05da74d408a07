import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { idpStatus } from '../../db/schema.ts';
import type { IdpObserver } from '../identity/identity.oidc.ts';

const ROW_ID = 'primary';

export type IdpStatusRow = typeof idpStatus.$inferSelect;

export interface ErrorLog {
  error(obj: object, msg: string): void;
}

/** An IdpObserver that records every discovery outcome; flush() waits for the writes already started. */
export interface IdpHealthRecorder extends IdpObserver {
  flush(): Promise<void>;
}

/**
 * What the app has seen of the identity provider, in the one `idp_status` row. `failing_since` is the first
 * failure of the current outage (kept while failures continue, cleared by the next success): break-glass opens
 * without approval only once it is at least BREAK_GLASS_IDP_DOWN_MINUTES old.
 */
export async function recordIdpReachable(db: Db, at: Date) {
  await db
    .insert(idpStatus)
    .values({ id: ROW_ID, lastSuccessAt: at, failingSince: null })
    .onConflictDoUpdate({
      target: idpStatus.id,
      set: { lastSuccessAt: at, failingSince: null },
    });
}

export async function recordIdpUnreachable(db: Db, at: Date, message: string) {
  const error = message.slice(0, 500);
  await db
    .insert(idpStatus)
    .values({ id: ROW_ID, lastFailureAt: at, failingSince: at, lastError: error })
    .onConflictDoUpdate({
      target: idpStatus.id,
      set: {
        lastFailureAt: at,
        lastError: error,
        failingSince: sql`coalesce(${idpStatus.failingSince}, excluded.failing_since)`,
      },
    });
}

export async function readIdpStatus(db: Db): Promise<IdpStatusRow | null> {
  const [row] = await db.select().from(idpStatus).where(eq(idpStatus.id, ROW_ID)).limit(1);
  return row ?? null;
}

/**
 * The observer the OidcClient calls on every discovery fetch. The writes are fire-and-forget for the
 * client (a status write must never fail a sign-in); errors are logged. Times come from the app's clock.
 */
export function idpHealthObserver(db: Db, now: () => Date, log: ErrorLog): IdpHealthRecorder {
  const pending = new Set<Promise<void>>();
  const track = (write: Promise<void>) => {
    const settled = write.catch((err: unknown) =>
      log.error({ err }, 'could not record identity provider status'),
    );
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  };
  return {
    reachable: () => track(recordIdpReachable(db, now())),
    unreachable: (_at, message) => track(recordIdpUnreachable(db, now(), message)),
    async flush() {
      await Promise.all([...pending]);
    },
  };
}

export interface IdpDownVerdict {
  reachable: boolean | null;
  /** How long the current outage has lasted, in whole minutes (0 while reachable or unknown). */
  downMinutes: number;
  /** The outage has lasted at least the configured period. */
  longEnough: boolean;
}

export function idpDownVerdict(row: IdpStatusRow | null, now: Date, idpDownMinutes: number): IdpDownVerdict {
  if (!row) return { reachable: null, downMinutes: 0, longEnough: false };
  if (!row.failingSince) return { reachable: true, downMinutes: 0, longEnough: false };
  const downMs = Math.max(0, now.getTime() - row.failingSince.getTime());
  return {
    reachable: false,
    downMinutes: Math.floor(downMs / 60_000),
    longEnough: downMs >= idpDownMinutes * 60_000,
  };
}
