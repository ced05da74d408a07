import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
  type ScryptOptions,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import * as OTPAuth from 'otpauth';

/**
 * Break-glass secrets. The principal's secret (32 random bytes, shown once) is stored as a salted scrypt hash
 * and compared in constant time. The TOTP secret is stored encrypted (AES-256-GCM, key derived with HKDF from
 * SESSION_SECRET, bound to the principal's name), so a database dump alone yields neither factor.
 * Rotating SESSION_SECRET makes stored TOTP secrets unreadable: re-enroll the principals afterwards.
 */

const SCRYPT = { N: 16_384, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(secret: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * 32 random bytes behind a fixed `bg_` prefix: recognisable to secret scanners, and never starting with a dash
 * (base64url may), which a command line would read as an option (`bi break-glass drill --secret -x…`).
 */
export function newBreakGlassSecret(): string {
  return `bg_${randomBytes(32).toString('base64url')}`;
}

/** `scrypt$N$r$p$salt$hash` (base64url), so parameters can be raised later without breaking old hashes. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keylen } = SCRYPT;
  const key = await scryptAsync(secret, salt, keylen, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

// Compared against when the principal is unknown, so the answer takes as long as for a known one.
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;

export async function verifySecret(secret: string, stored: string | null): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = (stored ?? DUMMY_HASH).split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret.slice(0, 200), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected) && stored !== null;
}

function totpKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'builder-insights', 'break-glass-totp-v1', 32));
}

/** `v1.iv.tag.ciphertext` (base64url); the name is authenticated data, so rows cannot swap secrets. */
export function encryptTotpSecret(sessionSecret: string, name: string, base32: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', totpKey(sessionSecret), iv);
  cipher.setAAD(Buffer.from(`break-glass:${name}`));
  const ciphertext = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((x) => (typeof x === 'string' ? x : x.toString('base64url')))
    .join('.');
}

export function decryptTotpSecret(sessionSecret: string, name: string, stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || !ciphertext) throw new Error('unknown TOTP secret format');
  const decipher = createDecipheriv('aes-256-gcm', totpKey(sessionSecret), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(`break-glass:${name}`));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}

/** Authenticator-app defaults: SHA1, 6 digits, 30 seconds. */
const TOTP_PERIOD = 30;

export function totpFor(name: string, base32: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: 'Builder Insights',
    label: `break-glass-${name}`,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD,
    secret: OTPAuth.Secret.fromBase32(base32),
  });
}

/** A fresh TOTP secret (160 bits, as RFC 4226 recommends) in base32, the form authenticator apps take. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/**
 * The 30-second step a code belongs to (±1 step of clock drift), or null when it matches none. The caller
 * refuses a step at or before the last one used (replay protection).
 */
export function totpStep(totp: OTPAuth.TOTP, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return OTPAuth.TOTP.counter({ period: TOTP_PERIOD, timestamp: now.getTime() }) + delta;
}

/** The current code (tests and the drill's self-check). */
export function totpCode(totp: OTPAuth.TOTP, at: Date): string {
  return totp.generate({ timestamp: at.getTime() });
}
