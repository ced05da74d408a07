import type { Db } from '../../db/client.ts';

const READ_SNAPSHOT = { isolationLevel: 'repeatable read', accessMode: 'read only' } as const;

/**
 * A repeatable-read, read-only transaction held open while its caller decides what to do next: `first` runs
 * inside it and its result comes back while the transaction stays open; then exactly one of `continueWith`
 * (more work in the same snapshot) or `release` ends it. Lets an export count, refuse or record itself, and
 * then stream exactly the rows it counted.
 */
export interface HeldSnapshot<T> {
  value: T;
  continueWith(work: (tx: Db) => Promise<void>): Promise<void>;
  release(): Promise<void>;
}

export async function holdSnapshot<T>(
  db: Db,
  first: (tx: Db) => Promise<T>,
  slots?: SnapshotSlots,
): Promise<HeldSnapshot<T>> {
  const freeSlot = slots ? await slots.acquire() : () => {};
  let settleFirst!: { resolve: (value: T) => void; reject: (err: unknown) => void };
  const firstDone = new Promise<T>((resolve, reject) => {
    settleFirst = { resolve, reject };
  });
  let choose!: (work: ((tx: Db) => Promise<void>) | null) => void;
  const next = new Promise<((tx: Db) => Promise<void>) | null>((resolve) => {
    choose = resolve;
  });
  const done = db.transaction(async (tx) => {
    settleFirst.resolve(await first(tx));
    const work = await next;
    if (work) await work(tx);
  }, READ_SNAPSHOT);
  // A failure before `first` answered reaches the caller through firstDone; later ones through done.
  done.catch((err: unknown) => settleFirst.reject(err));
  done.then(freeSlot, freeSlot);
  const value = await firstDone;
  return {
    value,
    continueWith(work) {
      choose(work);
      return done;
    },
    release() {
      choose(null);
      return done;
    },
  };
}

/** The same snapshot, run to the end in one go. */
export function inSnapshot<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(work, READ_SNAPSHOT);
}

/**
 * How many snapshots may be held at once in this process. A held snapshot keeps one pooled connection while
 * its export records itself on another: with as many exports as connections, each would wait for a second
 * connection that never frees (every query of the process with them). Beyond the limit, exports queue here.
 */
export interface SnapshotSlots {
  acquire(): Promise<() => void>;
}

export function snapshotSlots(limit: number): SnapshotSlots {
  let held = 0;
  const waiting: (() => void)[] = [];
  const free = () => {
    const nextInLine = waiting.shift();
    if (nextInLine) nextInLine();
    else held -= 1;
  };
  return {
    async acquire() {
      if (held < limit) held += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      let freed = false;
      return () => {
        if (freed) return;
        freed = true;
        free();
      };
    },
  };
}
