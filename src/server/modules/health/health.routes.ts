import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { migrationStatus } from '../../db/migrate.ts';
import { RATE } from '../../plugins/rate-limit.ts';

const Health = z.object({ status: z.literal('ok') });
const Ready = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    database: z.enum(['ok', 'unreachable']),
    migrations: z.enum(['current', 'pending', 'unknown']),
    draining: z.boolean().describe('true once the process is shutting down (SIGTERM): stop routing to it'),
  }),
});

/** HTTP servers whose process is shutting down (server.ts marks its own; keyed so test apps stay apart). */
const drainingServers = new WeakSet<Server>();

/** From now on /readyz on this server answers 503 with `draining: true`. */
export function markDraining(server: Server) {
  drainingServers.add(server);
}

const probe = { auth: 'public', kind: 'api', rateLimit: RATE.probe } as const;

/**
 * /healthz: the process is alive (no dependencies, so a database outage never restarts every pod).
 * /readyz: the process is not shutting down, the database answers and every migration this code ships is
 * applied.
 */
export function healthRoutes(app: FastifyInstance, deps: { database: Database }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/healthz', { config: probe, schema: { tags: ['health'], response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
  }));
  r.get(
    '/readyz',
    { config: probe, schema: { tags: ['health'], response: { 200: Ready, 503: Ready } } },
    async (request, reply) => {
      let database: 'ok' | 'unreachable' = 'ok';
      let migrations: 'current' | 'pending' | 'unknown' = 'unknown';
      try {
        await deps.database.db.execute(sql`select 1`);
        migrations = (await migrationStatus(deps.database)).current ? 'current' : 'pending';
      } catch {
        database = 'unreachable';
      }
      const draining = drainingServers.has(request.server.server);
      const ready = !draining && database === 'ok' && migrations === 'current';
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { database, migrations, draining } });
    },
  );
}
