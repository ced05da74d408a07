import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError, openDatabase } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { type DevIdp, startDevIdp } from './devidp/devidp.ts';
import { JOBS } from './jobs/catalog.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { seedDemoDataIfEmpty } from './modules/demo/demo.seed.ts';
import { OidcClient } from './modules/identity/identity.oidc.ts';
import { appVersion, resolveSessionSecret, WEB_ROOT } from './runtime.ts';

/** Process roles: `api` (default) serves HTTP. Scheduled jobs run through the CLI (`bi`). */
async function main(role = process.argv[2] ?? 'api') {
  if (role !== 'api') throw new Error(`Unknown process role "${role}". Known roles: api.`);
  const config = loadConfig();
  const sessionSecret = resolveSessionSecret(config);
  const database = await openDatabase(config.database);
  await migrateDatabase(database);

  let devIdp: DevIdp | null = null;
  let issuer = config.oidc.issuer;
  if (!issuer) {
    devIdp = await startDevIdp({
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
    issuer = devIdp.issuer;
  }

  const version = appVersion();
  const oidc = new OidcClient({ ...config.oidc, issuer, allowHttp: config.env !== 'production' });
  const app = await buildApp({ config, database, oidc, sessionSecret, webRoot: WEB_ROOT, version });

  // Demo people only make sense on the dev identity provider: their subjects exist nowhere else.
  if (devIdp && config.database.kind === 'pglite' && config.demoData === 'auto') {
    const seeded = await seedDemoDataIfEmpty(database.db, { issuer, access: config.access, now: new Date() });
    if (seeded) app.log.info(seeded, 'demo data loaded into the empty embedded database');
  }
  const stopJobs =
    config.jobs === 'in-process' ? startScheduler(JOBS, database.db, app.log, { oidc, config }) : () => {};

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    stopJobs();
    await app.close();
    await devIdp?.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
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
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(`\n${err.message}\n`);
    process.exit(err instanceof ConfigError ? 78 : 75);
  }
  console.error('Builder Insights failed to start:', err);
  process.exit(1);
});
