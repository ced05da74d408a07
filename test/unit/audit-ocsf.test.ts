import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_CATALOG } from '../../src/contract/audit-events.ts';
import { loadConfig } from '../../src/server/config.ts';
import {
  checkSignature,
  DEV_KEY_FILE,
  existingSigningKey,
  generateSigningKeyPem,
  parseSigningKey,
  resolveSigningKey,
  signPayload,
  verifyKeysFrom,
} from '../../src/server/modules/audit/audit.keys.ts';
import { ocsfClassOf, ocsfLine, toOcsf } from '../../src/server/modules/audit/audit.ocsf.ts';
import type { AuditRow } from '../../src/server/modules/audit/audit.repo.ts';

const base: AuditRow = {
  seq: 42,
  id: '0b7d5c3e-0000-4000-8000-000000000001',
  occurredAt: new Date('2026-05-04T12:30:00.250Z'),
  action: 'auth.sign_in.succeeded',
  outcome: 'success',
  actorId: '0b7d5c3e-0000-4000-8000-00000000000a',
  actorSessionId: '0b7d5c3e-0000-4000-8000-00000000000b',
  actorRole: 'manager',
  targetType: 'person',
  targetId: '0b7d5c3e-0000-4000-8000-00000000000a',
  actorTokenId: null,
  actorBreakGlass: false,
  ip: '203.0.113.9',
  userAgent: 'Mozilla/5.0',
  requestId: 'req-1',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  details: { role: 'manager', amr: ['pwd', 'mfa'], sessionId: 's' },
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
};

describe('OCSF mapping of audit events', () => {
  it('maps a sign-in to Authentication: Logon with actor, endpoint, request and metadata', () => {
    expect(toOcsf(base, '1.2.3')).toEqual({
      class_uid: 3002,
      class_name: 'Authentication',
      category_uid: 3,
      category_name: 'Identity & Access Management',
      activity_id: 1,
      activity_name: 'Logon',
      type_uid: 300201,
      type_name: 'Authentication: Logon',
      time: Date.parse('2026-05-04T12:30:00.250Z'),
      severity_id: 1,
      severity: 'Informational',
      status_id: 1,
      status: 'Success',
      message: AUDIT_CATALOG['auth.sign_in.succeeded'].description,
      actor: { user: { uid: base.actorId, type: 'manager' }, session: { uid: base.actorSessionId } },
      src_endpoint: { ip: '203.0.113.9' },
      http_request: { user_agent: 'Mozilla/5.0' },
      user: { uid: base.targetId },
      is_mfa: true,
      metadata: {
        version: '1.3.0',
        product: { name: 'Builder Insights', vendor_name: 'MongoDB', version: '1.2.3' },
        uid: base.id,
        correlation_uid: base.traceId,
        log_name: 'builder-insights-audit',
        sequence: 42,
      },
      unmapped: {
        action: 'auth.sign_in.succeeded',
        target_type: 'person',
        target_id: base.targetId,
        details: base.details,
        hash: base.hash,
        prev_hash: base.prevHash,
        actor_role: 'manager',
        actor_token_id: null,
        actor_break_glass: false,
        request_id: 'req-1',
      },
    });
    expect(ocsfLine(base, '1.2.3').endsWith('}\n')).toBe(true);
  });

  it('marks failures and their reason; system events carry the app as actor and no endpoint', () => {
    const failed = toOcsf(
      {
        ...base,
        action: 'auth.sign_in.failed',
        outcome: 'failure',
        actorId: null,
        actorSessionId: null,
        actorRole: null,
        ip: 'local',
        userAgent: null,
        traceId: null,
        details: { reason: 'nonce_mismatch', message: 'x' },
      },
      '1',
    );
    expect(failed).toMatchObject({
      status_id: 2,
      status: 'Failure',
      status_detail: 'nonce_mismatch',
      severity_id: 2,
      actor: { app_name: 'Builder Insights' },
    });
    expect(failed).not.toHaveProperty('src_endpoint');
    expect(failed.unmapped).toMatchObject({ ip: 'local' });
    expect(failed).not.toHaveProperty('http_request');
    expect(failed.metadata).not.toHaveProperty('correlation_uid');
  });

  it('chooses the class and activity by the action family', () => {
    expect(ocsfClassOf('org.person.deactivated')).toEqual({ classUid: 3001, activityId: 5 });
    expect(ocsfClassOf('access.exception.decided')).toEqual({ classUid: 3001, activityId: 7 });
    expect(ocsfClassOf('claims_model.changed')).toEqual({ classUid: 3001, activityId: 99 });
    expect(ocsfClassOf('auth.logout')).toEqual({ classUid: 3002, activityId: 2 });
    expect(ocsfClassOf('break_glass.request', { method: 'DELETE' })).toEqual({
      classUid: 6003,
      activityId: 4,
    });
    expect(ocsfClassOf('report.exported')).toEqual({ classUid: 6003, activityId: 2 });
    expect(ocsfClassOf('event.created')).toEqual({ classUid: 3004, activityId: 1 });
    expect(ocsfClassOf('insight.updated')).toEqual({ classUid: 3004, activityId: 3 });
    expect(ocsfClassOf('form.deleted')).toEqual({ classUid: 3004, activityId: 4 });
    const bg = toOcsf(
      { ...base, action: 'break_glass.sign_in.succeeded', targetType: 'break_glass_use' },
      '1',
    );
    expect(bg).toMatchObject({ severity_id: 4, severity: 'High' });
    const entity = toOcsf({ ...base, action: 'event.updated', targetType: 'event', targetId: 'e1' }, '1');
    expect(entity).toMatchObject({ class_uid: 3004, type_uid: 300403, entity: { uid: 'e1', type: 'event' } });
  });

  it('maps every catalog action to one of the four classes with a named activity', () => {
    for (const action of Object.keys(AUDIT_CATALOG)) {
      const event = toOcsf({ ...base, action, details: { method: 'POST' } }, '1');
      expect([3001, 3002, 3004, 6003], action).toContain(event.class_uid);
      expect(event.type_name, action).toMatch(/^[A-Za-z ]+: [A-Za-z ]+$/);
      expect(event.type_uid, action).toBe((event.class_uid as number) * 100 + (event.activity_id as number));
    }
  });
});

describe('audit signing keys', () => {
  it('accepts Ed25519 PKCS#8 PEM or its base64, named by a fingerprint unless named', () => {
    const pem = generateSigningKeyPem();
    const key = parseSigningKey(pem);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(parseSigningKey(Buffer.from(pem).toString('base64')).keyId).toBe(key.keyId);
    expect(parseSigningKey(pem, 'prod-2026').keyId).toBe('prod-2026');
    const keys = verifyKeysFrom(key, {});
    const signature = signPayload(key, { b: 1, a: [2] });
    expect(checkSignature(keys, key.keyId, { a: [2], b: 1 }, signature)).toBe('valid');
    expect(checkSignature(keys, key.keyId, { a: [2], b: 2 }, signature)).toBe('bad_signature');
    expect(checkSignature(keys, 'other', { a: [2], b: 1 }, signature)).toBe('unknown_key');
  });

  it('refuses other key types and unreadable keys, naming the variable', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => parseSigningKey(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow(
      /AUDIT_SIGNING_KEY is a rsa key; audit checkpoints are signed with Ed25519 only/,
    );
    expect(() => parseSigningKey('x'.repeat(60))).toThrow(/AUDIT_SIGNING_KEY is not a readable private key/);
    const rsaPublic = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => verifyKeysFrom(null, { old: rsaPublic })).toThrow(/AUDIT_VERIFY_KEYS: "old" is a rsa key/);
    const key = parseSigningKey(generateSigningKeyPem(), 'k1');
    const other = parseSigningKey(generateSigningKeyPem());
    const otherPublic = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => verifyKeysFrom(key, { k1: otherPublic })).toThrow(/holds a different public key/);
    expect([...verifyKeysFrom(key, { k0: otherPublic }).keys()].sort()).toEqual(['k0', 'k1']);
  });

  it('outside production generates one key into DATA_DIR (0600) and keeps it', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bi-audit-key-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir });
      expect(existingSigningKey(config)).toBeNull();
      const key = resolveSigningKey(config);
      expect(statSync(path.join(dataDir, DEV_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(resolveSigningKey(config).keyId).toBe(key.keyId);
      expect(existingSigningKey(config)?.keyId).toBe(key.keyId);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
