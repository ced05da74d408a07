import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import type { DevIdp } from './devidp/devidp.ts';
import { JOBS } from './jobs/catalog.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { seedDemoDataIfEmpty } from './modules/demo/demo.seed.ts';
import { markDraining } from './modules/health/health.routes.ts';
import { OidcClient } from './modules/identity/identity.oidc.ts';
import { type MetricsServer, startMetricsServer } from './observability/metrics-server.ts';
import { initTracing } from './observability/tracing.ts';
import { appVersion, resolveSessionSecret, WEB_ROOT } from './runtime.ts';

export interface ServerOptions {
  /** Stop on SIGTERM and SIGINT (a second signal exits at once with code 1). Default true. */
  handleSignals?: boolean;
  /**
   * Time between readiness turning false and the listener closing, so load balancers that poll /readyz stop
   * routing here first. Default: a fifth of SHUTDOWN_GRACE_MS, at most 5 s (docs/operations/shutdown.md).
   * SIGINT (Ctrl-C at a terminal) skips it.
   */
  drainDelayMs?: number;
}

export interface ServerHandle {
  app: FastifyInstance;
  database: Database;
  /** Graceful shutdown (idempotent): resolves when everything is closed. */
  stop(signal: string): Promise<void>;
  /** Resolves when a stop (from a signal or stop()) has finished. */
  stopped: Promise<void>;
}

/** The app's database, migrated (with the login role's own privileges when a runtime role is set). */
async function openMigratedDatabase(config: Config): Promise<Database> {
  if (config.database.kind === 'postgres' && config.database.runtimeRole) {
    // The runtime role may not change the schema: migrate with the login role's own privileges first.
    const owner = await openDatabase({ ...config.database, poolMax: 1, runtimeRole: undefined });
    try {
      await migrateDatabase(owner);
    } finally {
      await owner.close();
    }
    return openDatabase(config.database);
  }
  const database = await openDatabase(config.database);
  try {
    await migrateDatabase(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/** The embedded dev identity provider, when no issuer is configured. */
async function startDevIdpFor(config: Config): Promise<DevIdp> {
  // oidc-provider (and Koa under it) loads only when the dev identity provider runs, never with a real issuer.
  const { startDevIdp } = await import('./devidp/devidp.ts');
  return startDevIdp({
    env: config.env,
    host: config.host,
    port: config.devIdpPort,
    publicHost: new URL(config.publicUrl).hostname,
    clients: [
      {
        clientId: config.oidc.clientId,
        clientSecret: config.oidc.clientSecret,
        redirectUris: [config.oidc.redirectUri],
        postLogoutRedirectUris: [config.oidc.postLogoutRedirectUri],
        backchannelLogoutUri: `${config.publicUrl}/auth/backchannel-logout`,
        universalLogoutUri: `${config.publicUrl}/auth/universal-logout`,
      },
    ],
  });
}

/** The `api` process role: `node src/server/main.ts` and `bi serve` both run this. */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<ServerHandle> {
  const sessionSecret = resolveSessionSecret(config);
  const version = appVersion();
  // First, so every request and job has a span (and log lines their trace ids).
  const tracing = initTracing(config, version);
  // The dev identity provider (its modules and signing key) starts while the database opens and migrates:
  // neither needs the other, and the app is built once both are ready (cold start, docs/performance.md).
  const devIdpStarting = config.oidc.issuer ? null : startDevIdpFor(config);
  devIdpStarting?.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
  let database: Database;
  try {
    database = await openMigratedDatabase(config);
  } catch (err) {
    await (await devIdpStarting?.catch(() => null))?.close();
    throw err;
  }
  let devIdp: DevIdp | null = null;
  try {
    devIdp = await devIdpStarting;
  } catch (err) {
    await database.close();
    throw err;
  }
  const issuer = devIdp?.issuer ?? config.oidc.issuer ?? '';

  const oidc = new OidcClient({ ...config.oidc, issuer, allowHttp: config.env !== 'production' });
  const app = await buildApp({ config, database, oidc, sessionSecret, webRoot: WEB_ROOT, version });

  // Demo people only make sense on the dev identity provider: their subjects exist nowhere else.
  if (devIdp && config.database.kind === 'pglite' && config.demoData === 'auto') {
    const seeded = await seedDemoDataIfEmpty(database.db, { issuer, access: config.access, now: new Date() });
    if (seeded) app.log.info(seeded, 'demo data loaded into the empty embedded database');
  }
  const stopJobs =
    config.jobs === 'in-process'
      ? startScheduler(JOBS, database.db, app.log, { oidc, config })
      : async () => {};
  let metrics: MetricsServer | null = null;

  const graceMs = config.observability.shutdownGraceMs;
  const drainDelayMs = options.drainDelayMs ?? Math.min(5000, Math.floor(graceMs / 5));
  let draining = false;
  // Every answer given once draining starts (including to requests already in flight) asks the client or proxy
  // to close its keep-alive connection, so a connection is never reused just as the listener closes it.
  const inFlight = new Set<ServerResponse>();
  const closeAfterAnswer = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  app.server.on('request', (_req, res: ServerResponse) => {
    if (draining) return closeAfterAnswer(res);
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });

  let finish: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let stopping: Promise<void> | null = null;
  const shutdown = async (signal: string) => {
    const started = Date.now();
    draining = true;
    for (const res of inFlight) closeAfterAnswer(res);
    inFlight.clear();
    markDraining(app.server);
    // SIGINT is a person at a terminal (Ctrl-C): no load balancer to leave, so no delay.
    const delayMs = signal === 'SIGINT' ? 0 : drainDelayMs;
    app.log.info({ signal, drainDelayMs: delayMs, graceMs }, 'shutting down: draining requests');
    // The scheduler starts no new job from now on; the running ones get until the end of the grace period.
    const jobsStopped = stopJobs(delayMs + graceMs);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    // app.close(): no new connections, idle keep-alive connections close (Fastify's forceCloseConnections
    // 'idle'), busy ones finish their request and then close. Whatever is still open after the grace period
    // is cut.
    const cut = setTimeout(() => {
      app.log.warn({ graceMs }, 'grace period over: closing the connections still open');
      app.server.closeAllConnections();
    }, graceMs);
    await Promise.all([app.close(), jobsStopped]);
    clearTimeout(cut);
    // The metrics collectors read the database: stop scrapes before it closes.
    await metrics?.close();
    await devIdp?.close();
    await database.close();
    app.log.info({ signal, ms: Date.now() - started }, 'shutdown complete');
    // Export the spans still buffered (the last requests and jobs).
    await tracing.shutdown().catch((err: unknown) => app.log.warn({ err }, 'traces could not be flushed'));
  };
  const stop = (signal: string) => {
    stopping ??= shutdown(signal).finally(finish);
    return stopping;
  };

  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        app.log.warn({ signal }, 'second signal during shutdown: exiting now');
        process.exit(1);
      }
      void stop(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  await app.listen({ port: config.port, host: config.host });
  if (config.observability.metricsPort !== 0) {
    metrics = await startMetricsServer({
      port: config.observability.metricsPort,
      host: config.observability.metricsHost,
      log: app.log,
    });
    app.log.info(
      { port: metrics.port, host: config.observability.metricsHost },
      'Prometheus metrics are served on the internal metrics port at /metrics',
    );
  }
  app.log.info(
    { url: config.publicUrl, issuer, database: database.kind, devIdentityProvider: Boolean(devIdp) },
    `Builder Insights is running at ${config.publicUrl}`,
  );
  if (devIdp) {
    console.warn(
      `\n  Builder Insights: ${config.publicUrl}\n  Dev sign-in (no passwords): pick a demo person, e.g. Ari Levy (advocate), ` +
        'Maya Patel (manager), Priya Raman (admin), Victor Chen (viewer).\n',
    );
  }
  return { app, database, stop, stopped };
}
