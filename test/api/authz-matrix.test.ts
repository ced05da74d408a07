import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES_BY_ROLE } from '../../src/contract/api/tokens.ts';
import { type RouteEntry, routeTable } from '../../src/server/plugins/route-contract.ts';
import { renderMatrix } from '../helpers/authz-matrix-doc.ts';
import {
  anonymous,
  breakGlassPrincipal,
  type Principal,
  sessionPrincipal,
  tokenPrincipal,
} from '../helpers/principals.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The authorization matrix, from the route table itself (no hand-kept list): every registered route × every
 * kind of caller — nobody, viewer, advocate, manager, admin, a break-glass session, API tokens with and without
 * the route's scope (an admin's, and an advocate's whose owner role the route may not admit) — is called, and
 * the answer must be the one the route's declared access (`config.access`, plugins/access.ts) documents:
 * 401 without a credential the route accepts, 403 for a caller it does not admit, and otherwise an answer past
 * the gate (never 401 or 403, never a 5xx). Records of another scope answering 404 are in authz-scope.test.ts.
 * docs/security/authorization-matrix.md is generated from the same declarations and must be current.
 */
const DOC = 'docs/security/authorization-matrix.md';
const clock = { offset: 0 };
const now = () => new Date(Date.now() + clock.offset);
let stack: TestStack;
let principals: Principal[];
let table: readonly RouteEntry[];

beforeAll(async () => {
  stack = await startStack({ now });
  const signIn = (who: string) => stack.signIn(who, { auth: 'mfa' });
  const [priya, maya, ari, victor] = [
    await signIn('Priya'),
    await signIn('Maya'),
    await signIn('Ari'),
    await signIn('Victor'),
  ] as Session[];
  if (!priya || !maya || !ari || !victor) throw new Error('sign-in failed');
  principals = [
    anonymous(stack),
    sessionPrincipal('viewer', 'viewer', victor),
    sessionPrincipal('advocate', 'advocate', ari),
    sessionPrincipal('manager', 'manager', maya),
    sessionPrincipal('admin', 'admin', priya),
    await breakGlassPrincipal(stack, priya, { now, advance: (ms) => (clock.offset += ms) }),
    await tokenPrincipal(stack, priya, 'admin', 'admin-token', TOKEN_SCOPES_BY_ROLE.admin),
    await tokenPrincipal(stack, priya, 'admin', 'admin-token-readiness', ['readiness:read']),
    await tokenPrincipal(stack, priya, 'admin', 'admin-token-insights', ['insights:read']),
    await tokenPrincipal(stack, ari, 'advocate', 'advocate-token', TOKEN_SCOPES_BY_ROLE.advocate),
  ];
  table = routeTable(stack.app);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

type Outcome = 'unauthenticated' | 'forbidden' | 'admitted' | 'public';

/** The documented outcome of one caller on one route, from the route's declarations alone. */
function expected(p: Principal, r: RouteEntry): Outcome {
  const { auth, access, tokenScope } = r.config;
  if (auth === 'public') return 'public';
  // SCIM takes the identity provider's own credential only: no session, no user API token.
  if (auth === 'scim') return 'unauthenticated';
  if (p.kind === 'anonymous' || !p.role || !access) return 'unauthenticated';
  if (p.kind === 'token') {
    if (auth !== 'session_or_token') return 'unauthenticated';
    if (!tokenScope || !p.scopes?.includes(tokenScope)) return 'forbidden';
  }
  if (!access.roles.includes(p.role)) return 'forbidden';
  if (access.sso && p.kind === 'break_glass') return 'forbidden';
  return 'admitted';
}

/** A value for each path parameter: a well-formed id that names nothing (so nothing real is changed). */
function pathOf(url: string): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'version') return '99999';
    if (name === 'reaction') return 'thumbs_up';
    if (name === 'gateId' || name === 'slug') return 'no-such-thing';
    return randomUUID();
  });
}

/** Signing out ends the caller's session: it goes last, so it cannot hide anything else. */
const last = (r: RouteEntry) => (r.url === '/auth/logout' ? 1 : 0);

describe('authorization matrix (route table × caller)', () => {
  it('declares, for every signed-in route, who may use it (a route without a policy cannot register)', () => {
    const signedIn = table.filter((r) => r.config.auth === 'session' || r.config.auth === 'session_or_token');
    expect(signedIn.length).toBeGreaterThan(150);
    const undeclared = signedIn.filter((r) => !r.config.access?.roles.length);
    expect(undeclared.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('answers every route as documented for every caller', async () => {
    const mismatches: string[] = [];
    const counts: Record<Outcome, number> = { unauthenticated: 0, forbidden: 0, admitted: 0, public: 0 };
    const routes = [...table].filter((r) => r.config.kind !== 'asset').sort((a, b) => last(a) - last(b));
    for (const p of principals) {
      for (const r of routes) {
        const outcome = expected(p, r);
        // Tokens never reach public pages or SCIM differently from anonymous callers; one caller suffices.
        if (
          (outcome === 'public' || r.config.auth === 'scim') &&
          p.kind === 'token' &&
          p.name !== 'admin-token'
        )
          continue;
        const response = await p.call(r.method, pathOf(r.url), r.method === 'GET' ? undefined : {});
        const status = response.status;
        await response.arrayBuffer();
        counts[outcome] += 1;
        // A 503 the route documents (an optional provider not configured here) is an answer past the gate.
        const documented503 = status === 503 && '503' in ((r.schema.response as object | undefined) ?? {});
        const ok =
          (status < 500 || documented503) &&
          (outcome === 'unauthenticated'
            ? status === 401
            : outcome === 'forbidden'
              ? status === 403
              : outcome === 'admitted'
                ? status !== 401 && status !== 403
                : true);
        if (!ok) mismatches.push(`${p.name} ${r.method} ${r.url}: expected ${outcome}, got ${status}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The matrix really exercised every outcome (a broken gate that admits everyone would zero `forbidden`).
    // The admin's session alone is admitted on every signed-in route; nobody is on none.
    const signedIn = routes.filter(
      (r) => r.config.auth === 'session' || r.config.auth === 'session_or_token',
    );
    expect(counts.admitted).toBeGreaterThan(signedIn.length);
    expect(counts.forbidden).toBeGreaterThan(signedIn.length);
    expect(counts.unauthenticated).toBeGreaterThan(signedIn.length);
  }, 240_000);

  it('keeps the documented matrix current', () => {
    const doc = renderMatrix(table);
    if (process.env.WRITE_AUTHZ_DOC === '1') writeFileSync(DOC, doc);
    expect(readFileSync(DOC, 'utf8'), `${DOC} is stale: run npm run docs:authz-matrix`).toBe(doc);
  });
});
