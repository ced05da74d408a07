import { lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { consumedJtis } from '../../db/schema.ts';

/** Remember a token id until it expires: false when it was already used (a replay). */
export async function consumeJti(db: Db, key: string, expiresAt: Date): Promise<boolean> {
  const rows = await db
    .insert(consumedJtis)
    .values({ key: key.slice(0, 500), expiresAt })
    .onConflictDoNothing()
    .returning({ key: consumedJtis.key });
  return rows.length > 0;
}

export async function deleteExpiredJtis(db: Db, now: Date): Promise<number> {
  const rows = await db
    .delete(consumedJtis)
    .where(lt(consumedJtis.expiresAt, now))
    .returning({ key: consumedJtis.key });
  return rows.length;
}
