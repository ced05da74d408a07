import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** What is wrong with the next ID token the fake provider issues. */
export type IdTokenDefect =
  | 'none'
  | 'issuer'
  | 'audience'
  | 'nonce'
  | 'expired'
  | 'algorithm'
  | 'signature'
  | 'skewed'
  | 'unverified-email';

export interface FakeOp {
  issuer: string;
  defect: IdTokenDefect;
  /** Claims merged into the next ID tokens (e.g. groups). */
  claims: Record<string, unknown>;
  /** Sign any JWT with the provider's current key (e.g. an Okta Universal Logout request). */
  signJwt(claims: Record<string, unknown>, audience: string): Promise<string>;
  /** Replace the signing key (key rotation): the new key is published in the JWKS with a new kid. */
  rotateKey(): Promise<void>;
  jwksFetches: number;
  close(): Promise<void>;
}

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
interface Key {
  kid: string;
  pair: KeyPair;
  jwk: JWK;
}

async function newKey(alg: 'RS256' | 'ES256'): Promise<Key> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const kid = randomBytes(6).toString('hex');
  return { kid, pair, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' } };
}

/**
 * A deliberately misbehaving OpenID Provider for tests: discovery, JWKS, authorize and token endpoints, issuing
 * ID tokens with the defect the test asks for (wrong issuer, audience, nonce, expiry, algorithm, signature).
 * Only for tests; the dev identity provider (oidc-provider) is the well-behaved one.
 */
export async function startFakeOp(clientId: string): Promise<FakeOp> {
  let rsa = await newKey('RS256');
  const ec = await newKey('ES256');
  const rogue = await newKey('RS256');
  const nonces = new Map<string, string>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const op: FakeOp = {
    issuer,
    defect: 'none',
    claims: {},
    jwksFetches: 0,
    signJwt: (claims, audience) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: rsa.kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(randomBytes(8).toString('hex'))
        .sign(rsa.pair.privateKey),
    async rotateKey() {
      rsa = await newKey('RS256');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  async function idToken(nonce: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const d = op.defect;
    const claims = {
      sub: '00u-ari-levy',
      email: 'ari.levy@example.com',
      email_verified: d !== 'unverified-email',
      name: 'Ari Levy',
      groups: ['builder-relations', 'br-team-amer'],
      amr: ['pwd'],
      auth_time: now,
      nonce: d === 'nonce' ? 'not-the-nonce-we-sent' : nonce,
      ...op.claims,
    };
    const key = d === 'algorithm' ? ec : d === 'signature' ? rogue : rsa;
    const kid = d === 'signature' ? rsa.kid : key.kid;
    const iat = d === 'expired' ? now - 7200 : d === 'skewed' ? now + 45 : now;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: d === 'algorithm' ? 'ES256' : 'RS256', kid })
      .setIssuer(d === 'issuer' ? 'https://evil.example' : issuer)
      .setAudience(d === 'audience' ? 'some-other-app' : clientId)
      .setIssuedAt(iat)
      .setExpirationTime(d === 'expired' ? now - 3600 : iat + 600)
      .sign(key.pair.privateKey);
  }

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        end_session_endpoint: `${issuer}/logout`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') {
      op.jwksFetches += 1;
      return json(200, { keys: [rsa.jwk, ec.jwk] });
    }
    if (url.pathname === '/authorize') {
      const code = randomBytes(12).toString('hex');
      nonces.set(code, url.searchParams.get('nonce') ?? '');
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        const code = new URLSearchParams(body).get('code') ?? '';
        const nonce = nonces.get(code);
        nonces.delete(code);
        if (nonce === undefined) return json(400, { error: 'invalid_grant' });
        idToken(nonce).then(
          (token) =>
            json(200, { access_token: 'at', token_type: 'Bearer', expires_in: 600, id_token: token }),
          () => json(500, { error: 'server_error' }),
        );
      });
      return;
    }
    res.writeHead(404);
    res.end();
  });
  return op;
}
