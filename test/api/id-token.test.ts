import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEV_CLIENT } from '../../src/server/config.ts';
import { auditEvents } from '../../src/server/db/schema.ts';
import { type FakeOp, type IdTokenDefect, startFakeOp } from '../helpers/fake-op.ts';
import { location, request } from '../helpers/http.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';

/**
 * Every way an ID token can be wrong, against a provider that issues exactly that defect. Each is refused with
 * a page a person can act on (and a retry link), and an audit event naming the reason.
 */
let op: FakeOp;
let stack: TestStack;
beforeAll(async () => {
  op = await startFakeOp(DEV_CLIENT.id);
  stack = await startStack({ issuer: op.issuer });
});
afterAll(async () => {
  await stack?.close();
  await op?.close();
});

async function signInWith(defect: IdTokenDefect) {
  op.defect = defect;
  const jar = stack.newJar();
  let url = `${stack.baseUrl}/auth/login`;
  for (let hop = 0; hop < 4; hop += 1) {
    const response = await request(jar, url);
    if (url.startsWith(`${stack.baseUrl}/auth/callback`)) return { response, jar };
    url = location(response, url);
  }
  throw new Error('sign-in did not reach the callback');
}

const lastFailure = async () => {
  const rows = await stack.db.database.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, 'auth.sign_in.failed'))
    .orderBy(auditEvents.seq);
  return rows.at(-1);
};

describe('ID token validation (trusted-claims model)', () => {
  it('accepts a well-formed token from the trusted issuer', async () => {
    const { response } = await signInWith('none');
    expect(response.status).toBe(302);
    expect(response.headers.getSetCookie().some((c) => c.startsWith('bi_session='))).toBe(true);
  });

  it.each([
    ['issuer', 'issuer_mismatch', 'does not trust'],
    ['audience', 'audience_mismatch', 'different application'],
    ['nonce', 'nonce_mismatch', 'does not belong to this sign-in attempt'],
    ['expired', 'token_expired', 'expired'],
    ['algorithm', 'algorithm_unexpected', 'algorithm'],
    ['signature', 'signature_invalid', 'signature'],
    ['unverified-email', 'email_unverified', 'not verified'],
  ] as const)('refuses a token with a bad %s: %s, readable page, audited', async (defect, reason, words) => {
    const { response } = await signInWith(defect);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(
      response.headers.getSetCookie().some((c) => /^bi_session=[^;]+;/.test(c) && !/bi_session=;/.test(c)),
    ).toBe(false);
    const html = await response.text();
    expect(html).toContain(words);
    expect(html).toContain('href="/auth/login"');
    expect(html).toContain(`(${reason})`);
    const event = await lastFailure();
    expect(event?.outcome).toBe('failure');
    expect(event?.details).toMatchObject({ reason });
  });

  it('tolerates clock skew within the model (a token issued 45 s "in the future")', async () => {
    const { response } = await signInWith('skewed');
    expect(response.status).toBe(302);
  });

  it('follows key rotation: a token signed with a new key (new kid) verifies once the JWKS is refetched', async () => {
    await signInWith('none');
    const before = op.jwksFetches;
    await op.rotateKey();
    // The key set is refetched for an unknown kid at most once a minute (a cooldown against key-id floods).
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      const { response } = await signInWith('none');
      expect(response.status).toBe(302);
      expect(op.jwksFetches).toBeGreaterThan(before);
    } finally {
      vi.useRealTimers();
    }
  });
});
