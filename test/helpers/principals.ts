import * as OTPAuth from 'otpauth';
import type { ApiTokenIssued, TokenScope } from '../../src/contract/api/tokens.ts';
import type { Role } from '../../src/contract/roles.ts';
import { enrollPrincipal } from '../../src/server/modules/break-glass/break-glass.service.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { request } from './http.ts';
import { SESSION_SECRET, Session, type TestStack } from './stack.ts';

/**
 * Every kind of caller the authorization matrix tries: nobody, each role in an SSO session, an admin in a
 * break-glass session, and API tokens with and without the scope a route needs. `call` sends one request the
 * way that caller would (cookies and CSRF token for sessions, a bearer header for tokens).
 */
export interface Principal {
  name: string;
  kind: 'anonymous' | 'session' | 'break_glass' | 'token';
  /** The role the caller acts with (a token: its owner's). */
  role: Role | null;
  /** A token's scopes. */
  scopes?: readonly TokenScope[];
  call(method: string, path: string, body?: unknown): Promise<Response>;
}

const json = (body: unknown) => (body === undefined ? undefined : JSON.stringify(body));

export function anonymous(stack: TestStack): Principal {
  return {
    name: 'anonymous',
    kind: 'anonymous',
    role: null,
    call: (method, path, body) =>
      fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: json(body),
      }),
  };
}

export function sessionPrincipal(
  name: string,
  role: Role,
  session: Session,
  kind: 'session' | 'break_glass' = 'session',
): Principal {
  return {
    name,
    kind,
    role,
    call: (method, path, body) =>
      method === 'GET' ? session.get(path) : session.send(method, path, body ?? {}),
  };
}

export async function tokenPrincipal(
  stack: TestStack,
  owner: Session,
  role: Role,
  name: string,
  scopes: readonly TokenScope[],
): Promise<Principal> {
  const response = await owner.post('/api/v1/tokens', { name, scopes, expiresInDays: 1 });
  if (response.status !== 201) throw new Error(`token ${name}: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as ApiTokenIssued;
  return {
    name,
    kind: 'token',
    role,
    scopes,
    call: (method, path, body) =>
      fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined && method === 'GET' ? {} : { 'content-type': 'application/json' }),
        },
        body: method === 'GET' ? undefined : json(body ?? {}),
      }),
  };
}

/**
 * A real break-glass session while the IdP is healthy: the principal's first attempt asks for approval, a
 * second admin (SSO) approves it, the next attempt opens the session. `advance` moves the stack's clock on
 * (each TOTP step is used once).
 */
export async function breakGlassPrincipal(
  stack: TestStack,
  approver: Session,
  options: { now: () => Date; advance: (ms: number) => void },
): Promise<Principal> {
  const deps = { db: stack.db.database.db, sessionSecret: SESSION_SECRET, now: options.now };
  const enrolment = await enrollPrincipal(deps, systemContext('test'), 'matrix-glass');
  const totp = OTPAuth.URI.parse(enrolment.otpauthUri) as OTPAuth.TOTP;
  const attempt = async () => {
    options.advance(30_000);
    const jar = stack.newJar();
    const form = {
      name: enrolment.name,
      secret: enrolment.secret,
      code: totp.generate({ timestamp: options.now().getTime() }),
      reason: 'Authorization matrix: what a break-glass session may do',
    };
    await request(jar, `${stack.baseUrl}/auth/break-glass`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return jar;
  };
  await attempt();
  const status = await approver.json<{ approvals: { id: string; status: string; principal: string }[] }>(
    '/api/v1/admin/break-glass',
  );
  const pending = status.approvals.find((a) => a.principal === enrolment.name && a.status === 'pending');
  if (!pending) throw new Error('break-glass: no pending approval after the first attempt');
  const approved = await approver.post(`/api/v1/admin/break-glass/approvals/${pending.id}/approve`, {});
  if (approved.status !== 200) throw new Error(`break-glass approval: ${approved.status}`);
  const session = new Session(await attempt(), stack.baseUrl);
  session.csrf = (await session.json<{ csrfToken: string }>('/api/v1/me')).csrfToken;
  return sessionPrincipal('break-glass', 'admin', session, 'break_glass');
}
