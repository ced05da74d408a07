import { Dexie, type EntityTable } from 'dexie';
import type { Draft, OutboxItem, TelemetryRecord } from './types.ts';

/** The bytes of a photo, recording or screenshot, stored apart from the rows so lists stay cheap to read. */
export interface BlobRow {
  id: string;
  blob: Blob;
  type: string;
  size: number;
}

/** Reference data and small app state, each under a key, with the time it was saved. */
export interface CacheRow {
  key: string;
  value: unknown;
  savedAt: number;
}

export const DB_NAME = 'bi-capture';

/**
 * The capture app's IndexedDB database. Everything the person makes is written here before anything else
 * happens, so a reload, a crash or a week offline loses nothing. One schema for the page and the service
 * worker (both open the same database).
 */
export class CaptureDb extends Dexie {
  outbox!: EntityTable<OutboxItem, 'id'>;
  blobs!: EntityTable<BlobRow, 'id'>;
  drafts!: EntityTable<Draft, 'id'>;
  cache!: EntityTable<CacheRow, 'key'>;
  telemetry!: EntityTable<TelemetryRecord, 'id'>;

  constructor(name: string = DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      // insightId is set on edits and attachments: "the rows that belong to this insight".
      outbox: '&id, ownerId, kind, queuedAt, insightId',
      blobs: '&id',
      drafts: '&id, ownerId, updatedAt',
      cache: '&key',
      telemetry: '&id, at',
    });
  }
}

let current: CaptureDb | null = null;

/** The database of this page or worker, opened on first use. */
export function captureDb(): CaptureDb {
  current ??= new CaptureDb();
  return current;
}

/** Point every offline/ function at another database (tests: a fresh fake-indexeddb one per test). */
export function setCaptureDb(db: CaptureDb): void {
  current = db;
}
