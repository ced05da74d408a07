import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import type { Config } from '../../config.ts';

/**
 * The key that signs audit checkpoints and archive manifests (Ed25519, node:crypto only), and the public keys a
 * verifier trusts. The private key lives outside the database (AUDIT_SIGNING_KEY from the platform's secret
 * store), so someone who can rewrite the audit tables cannot sign a rewritten head.
 */
export interface AuditSigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Public keys by key id: the current signing key's and earlier ones kept after a rotation. */
export type AuditVerifyKeys = ReadonlyMap<string, KeyObject>;

/** Where a key is generated outside production when AUDIT_SIGNING_KEY is not set. */
export const DEV_KEY_FILE = 'audit-signing-key.pem';

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyError';
  }
}

/** A short, stable name for a public key: the first 16 hex digits of the SHA-256 of its SPKI DER. */
export function keyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** PEM text as given, or the base64 of it (a secret store that cannot hold line breaks). */
function pemText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return trimmed;
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8').trim();
  return decoded.startsWith('-----BEGIN') ? decoded : trimmed;
}

/** Parse the signing key: a PKCS#8 PEM (or its base64) holding an Ed25519 private key, nothing else. */
export function parseSigningKey(text: string, keyId?: string): AuditSigningKey {
  const pem = pemText(text);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new AuditKeyError(
      'AUDIT_SIGNING_KEY is not a readable private key: set it to an Ed25519 private key in PKCS#8 PEM ' +
        '(`openssl genpkey -algorithm ed25519`), or the base64 of that PEM.',
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new AuditKeyError(
      `AUDIT_SIGNING_KEY is a ${privateKey.asymmetricKeyType ?? 'unknown'} key; audit checkpoints are signed ` +
        'with Ed25519 only (`openssl genpkey -algorithm ed25519`).',
    );
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyId ?? keyFingerprint(publicKey), privateKey, publicKey };
}

/** One trusted public key of AUDIT_VERIFY_KEYS (PEM or its base64, Ed25519). */
export function parseVerifyKey(keyId: string, text: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pemText(text), format: 'pem' });
  } catch {
    throw new AuditKeyError(`AUDIT_VERIFY_KEYS: "${keyId}" is not a readable public key (SPKI PEM).`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new AuditKeyError(
      `AUDIT_VERIFY_KEYS: "${keyId}" is a ${key.asymmetricKeyType ?? 'unknown'} key; only Ed25519 keys verify audit checkpoints.`,
    );
  return key;
}

/** A new Ed25519 key as PKCS#8 PEM (development, tests, and the rotation runbook's first step). */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function devKeyPath(config: Config): string {
  return path.join(config.dataDir, DEV_KEY_FILE);
}

/**
 * The signing key: AUDIT_SIGNING_KEY, or outside production one generated once into DATA_DIR (mode 0600, like
 * the development session secret). Production refuses to start without it (config.ts).
 */
export function resolveSigningKey(config: Config): AuditSigningKey {
  if (config.audit.signingKey) return parseSigningKey(config.audit.signingKey, config.audit.signingKeyId);
  if (config.env === 'production') throw new AuditKeyError('AUDIT_SIGNING_KEY is required in production.');
  const file = devKeyPath(config);
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      writeFileSync(file, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process (the CLI beside the server) created it first: use that one.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return parseSigningKey(readFileSync(file, 'utf8'), config.audit.signingKeyId);
}

/**
 * The signing key when one exists, without generating one (what a verifier or a status page may use): the
 * configured key, or the development key file if a checkpoint already created it.
 */
export function existingSigningKey(config: Config): AuditSigningKey | null {
  if (config.audit.signingKey) return parseSigningKey(config.audit.signingKey, config.audit.signingKeyId);
  if (config.env === 'production' || !existsSync(devKeyPath(config))) return null;
  return parseSigningKey(readFileSync(devKeyPath(config), 'utf8'), config.audit.signingKeyId);
}

/** Every key a verifier trusts: the current signing key's public half and AUDIT_VERIFY_KEYS. */
export function verifyKeysFrom(
  signing: AuditSigningKey | null,
  extra: Record<string, string>,
): AuditVerifyKeys {
  const keys = new Map<string, KeyObject>();
  for (const [keyId, text] of Object.entries(extra)) keys.set(keyId, parseVerifyKey(keyId, text));
  if (signing) {
    const earlier = keys.get(signing.keyId);
    if (earlier && !earlier.equals(signing.publicKey))
      throw new AuditKeyError(
        `AUDIT_VERIFY_KEYS: "${signing.keyId}" is the signing key's id but holds a different public key.`,
      );
    keys.set(signing.keyId, signing.publicKey);
  }
  return keys;
}

export function resolveVerifyKeys(config: Config): AuditVerifyKeys {
  return verifyKeysFrom(existingSigningKey(config), config.audit.verifyKeys);
}

/** RFC 8785 canonical JSON: what is signed and verified, byte for byte. */
export function canonicalBytes(payload: Record<string, unknown>): Buffer {
  const text = canonicalize(payload);
  if (text === undefined) throw new Error('signed payload is not serializable');
  return Buffer.from(text, 'utf8');
}

/** base64 Ed25519 signature over the canonical JSON of `payload`. */
export function signPayload(key: AuditSigningKey, payload: Record<string, unknown>): string {
  return sign(null, canonicalBytes(payload), key.privateKey).toString('base64');
}

/** 'valid', or why not: the key id is not trusted, or the signature does not match. */
export function checkSignature(
  keys: AuditVerifyKeys,
  keyId: string,
  payload: Record<string, unknown>,
  signature: string,
): 'valid' | 'unknown_key' | 'bad_signature' {
  const key = keys.get(keyId);
  if (!key) return 'unknown_key';
  try {
    return verify(null, canonicalBytes(payload), key, Buffer.from(signature, 'base64'))
      ? 'valid'
      : 'bad_signature';
  } catch {
    return 'bad_signature';
  }
}
