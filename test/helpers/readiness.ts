import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allAlerts } from '../../deploy/observability/model/alerts.ts';
import type { Config } from '../../src/server/config.ts';
import type { Db } from '../../src/server/db/client.ts';
import { accessReviewCampaigns, orgSources, readinessAttestations } from '../../src/server/db/schema.ts';
import { createCheckpoint } from '../../src/server/modules/audit/audit.checkpoints.ts';
import { resolveSigningKey, resolveVerifyKeys } from '../../src/server/modules/audit/audit.keys.ts';
import { runVerification } from '../../src/server/modules/audit/audit.verify.ts';
import {
  insertPrincipal,
  insertPrincipalPerson,
} from '../../src/server/modules/break-glass/break-glass.repo.ts';
import { markApproved } from '../../src/server/modules/claims-model/claims-model.repo.ts';
import { ensureClaimsModel } from '../../src/server/modules/claims-model/claims-model.service.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { MANUAL_GATE_IDS } from '../../src/server/modules/readiness/readiness.catalog.ts';
import { insertRecord, upsertSignal } from '../../src/server/modules/readiness/readiness.repo.ts';

export const DAY = 86_400_000;

/**
 * The HTTP boundary of the services the readiness model asks and we cannot run in-process: an identity
 * provider's discovery document (under /idp) and Prometheus's rules API (under /prom). `missing` names alerts
 * the stub Prometheus does not list.
 */
export interface ExternalStub {
  base: string;
  issuer: string;
  prometheus: string;
  missing: Set<string>;
  close(): Promise<void>;
}

export async function startExternalStub(): Promise<ExternalStub> {
  const missing = new Set<string>();
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/idp/.well-known/openid-configuration')
      return json({ issuer: `${base}/idp`, authorization_endpoint: `${base}/idp/auth` });
    if (path === '/prom/api/v1/rules') {
      const rules = allAlerts()
        .filter((a) => !missing.has(a.alert))
        .map((a) => ({ type: 'alerting', name: a.alert, state: 'inactive' }));
      return json({ status: 'success', data: { groups: [{ name: 'bi', file: 'x', rules }] } });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    issuer: `${base}/idp`,
    prometheus: `${base}/prom`,
    missing,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The environment of a deployment whose configuration satisfies every configuration-driven gate. */
export function passingEnv(stub: ExternalStub, dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    OIDC_ISSUER: stub.issuer,
    OIDC_CLIENT_ID: 'builder-insights',
    OIDC_CLIENT_SECRET: 'test-client-secret',
    PROMETHEUS_URL: stub.prometheus,
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    DEPLOY_ENVIRONMENT: 'staging',
  };
}

/**
 * Real rows for a state in which every gate passes: an approved claims model requiring MFA for admins, one
 * drilled break-glass principal, a fresh org source, a completed access review, a passed deployment
 * verification and rollback drill in the environment, a recent scrape, every manual gate attested, and a
 * signed checkpoint and successful verification of the audit chain (last, so they cover everything above).
 */
export async function seedPassingState(db: Db, config: Config, now: Date): Promise<void> {
  const ctx = systemContext('test');
  await ensureClaimsModel(
    db,
    ctx,
    { issuer: config.oidc.issuer ?? 'x', audience: config.oidc.clientId },
    now,
  );
  await markApproved(db, 1, randomUUID(), now);
  const person = await insertPrincipalPerson(db, 'glass-1', now);
  await insertPrincipal(db, {
    name: 'glass-1',
    personId: person.id,
    secretHash: 'x',
    totpSecret: 'x',
    lastDrillAt: new Date(now.getTime() - 10 * DAY),
  });
  await db
    .insert(orgSources)
    .values({
      id: 'scim',
      enabled: true,
      maxStalenessMinutes: 60,
      lastSuccessAt: new Date(now.getTime() - 60_000),
    })
    .onConflictDoUpdate({ target: orgSources.id, set: { lastSuccessAt: new Date(now.getTime() - 60_000) } });
  await db.insert(accessReviewCampaigns).values({
    name: 'Q3 privileged review',
    kind: 'privileged',
    status: 'closed',
    dueAt: new Date(now.getTime() - 20 * DAY),
    createdBy: randomUUID(),
    closedAt: new Date(now.getTime() - 20 * DAY),
  });
  const environment = config.readiness.environment;
  for (const [kind, daysAgo] of [
    ['deployment_verification', 1],
    ['rollback_drill', 30],
  ] as const)
    await insertRecord(db, {
      kind,
      environment,
      outcome: 'passed',
      performedAt: new Date(now.getTime() - daysAgo * DAY),
      source: 'cli',
    });
  await upsertSignal(db, 'metrics.scraped', new Date(now.getTime() - 30_000), { instance: 'pod-a' });
  for (const gateId of MANUAL_GATE_IDS)
    await db.insert(readinessAttestations).values({
      gateId,
      status: 'pass',
      owner: 'Owner of record',
      evidenceUrl: `https://evidence.example.com/${gateId}`,
      attestedAt: now,
      expiresAt: new Date(now.getTime() + 100 * DAY),
    });
  await createCheckpoint(db, resolveSigningKey(config), now);
  await verifyAudit(db, config, now);
}

export async function verifyAudit(db: Db, config: Config, now: Date) {
  return runVerification(db, resolveVerifyKeys(config), 'admin', () => now);
}
