import { ROLE_LABEL, ROLES } from '../../src/contract/roles.ts';
import type { RouteEntry } from '../../src/server/plugins/route-contract.ts';

const RECORD: Record<string, string> = {
  insight: 'author in reader’s scope',
  person: 'person in reader’s scope',
  form: 'owner, managers over the owner, admins',
  import: 'whoever made it, admins',
  own: 'its owner',
  exception: 'subject, requester, decider, managers over the subject, admins',
  review: 'its reviewers, admins',
  shared: 'everyone admitted',
};

const cell = (yes: boolean) => (yes ? '✓' : '—');

/**
 * docs/security/authorization-matrix.md, generated from the route table's declarations (the same ones the
 * gate enforces and test/api/authz-matrix.test.ts checks by calling every route as every kind of caller).
 */
export function renderMatrix(table: readonly RouteEntry[]): string {
  const rows = table
    .filter((r) => r.config.kind !== 'asset')
    .slice()
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  const lines = [
    '# Authorization matrix',
    '',
    'Generated from the route table by `npm run docs:authz-matrix`; `test/api/authz-matrix.test.ts` fails when',
    'this file is stale, and calls every route below as every kind of caller to prove the outcome.',
    '',
    '- **Auth**: `session` (SSO or break-glass session cookie, CSRF on changes), `session_or_token` (also an API',
    '  token carrying the named scope, acting with its owner’s current role), `scim` (the IdP’s SCIM credential',
    '  only), `public`.',
    '- **Roles**: who the gate (`src/server/plugins/access.ts`) admits. Anyone else signed in: 403. No credential',
    '  the route accepts: 401. A token without the scope: 403. Domain policies then decide what depends on the',
    '  record (ownership, four eyes, manage scope).',
    '- **Break-glass**: ✓ when an emergency session (an admin) may use the route; SSO-only routes refuse it (403).',
    '- **Step-up**: a fresh MFA authentication is needed (403 `step-up-required` otherwise).',
    '- **Record**: who sees the record the path names; anyone else gets 404 (test/api/authz-scope.test.ts).',
    '',
    `| Method | Route | Auth | ${ROLES.map((r) => ROLE_LABEL[r]).join(' | ')} | Break-glass | Token scope | Step-up | Record |`,
    `| --- | --- | --- | ${ROLES.map(() => ':-:').join(' | ')} | :-: | --- | :-: | --- |`,
  ];
  for (const r of rows) {
    const { auth, access, tokenScope, privileged } = r.config;
    const signedIn = auth === 'session' || auth === 'session_or_token';
    const roles = ROLES.map((role) => (signedIn ? cell(access?.roles.includes(role) ?? false) : '·'));
    const glass = signedIn ? cell((access?.roles.includes('admin') ?? false) && !access?.sso) : '·';
    const record = access?.record ? (RECORD[access.record] ?? access.record) : '';
    lines.push(
      `| ${r.method} | \`${r.url}\` | ${auth} | ${roles.join(' | ')} | ${glass} | ${tokenScope ?? ''} | ${privileged ? '✓' : ''} | ${record} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
