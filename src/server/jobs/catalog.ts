import type { Db } from '../db/client.ts';
import { cleanupExpired } from './cleanup.ts';

export interface Job {
  name: string;
  description: string;
  everyMs: number;
  run(db: Db, now: Date): Promise<Record<string, unknown>>;
}

/** Every scheduled job: the same list runs in-process (JOBS=in-process) and from `bi jobs run <name>`. */
export const JOBS: readonly Job[] = [
  {
    name: 'cleanup',
    description: 'delete expired sessions, abandoned sign-in flows and finished rate-limit windows',
    everyMs: 15 * 60 * 1000,
    run: async (db, now) => ({ ...(await cleanupExpired(db, now)) }),
  },
];
