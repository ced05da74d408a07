import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgPeoplePage } from '../../src/contract/api/directory.ts';
import type { Insight, InsightPage } from '../../src/contract/api/insights.ts';
import type { ApiTokenSummary } from '../../src/contract/api/tokens.ts';
import { insights } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';
import { expectProblem, newInsight, publicApi } from './public-api.helpers.ts';

/**
 * The public API as a token holder meets it: scopes say which operations a token reaches, the owner's
 * current role and scope say what it sees there. Events: public-api-events.test.ts; rate limits:
 * public-api-limits.test.ts; the OpenAPI document: public-api-openapi.test.ts.
 */
let stack: TestStack;
let ari: Session; // advocate, AMER
let fatima: Session; // advocate, EMEA
let maya: Session; // manager, AMER
let victor: Session; // viewer, whole org
const api = publicApi(() => stack);
const { bearer, bearerSend, createToken } = api;
let amerInsight: Insight;
let emeaInsight: Insight;

beforeAll(async () => {
  stack = await startStack();
  [ari, fatima, maya, victor] = (await Promise.all(
    ['Ari', 'Fatima', 'Maya', 'Victor'].map((who) => stack.signIn(who)),
  )) as [Session, Session, Session, Session];
  const write = async (who: Session, text: string) => {
    const response = await who.post('/api/v1/insights', newInsight(text));
    expect(response.status).toBe(201);
    return (await response.json()) as Insight;
  };
  amerInsight = await write(ari, 'AMER: CLI login loops');
  emeaInsight = await write(fatima, 'EMEA: driver pooling question');
});
afterAll(async () => {
  await stack?.close();
});

async function insightRows(text: string) {
  return api.db().select().from(insights).where(eq(insights.text, text));
}

describe('insights', () => {
  it('a read token lists and reads within its owner’s scope; another scope’s insight is 404', async () => {
    const { token } = await createToken(ari, ['insights:read']);
    const page = (await (await bearer(token, '/api/v1/insights?limit=100')).json()) as InsightPage;
    const texts = page.items.map((i) => i.text);
    expect(texts).toContain(amerInsight.text);
    expect(texts).not.toContain(emeaInsight.text);
    expect((await bearer(token, `/api/v1/insights/${amerInsight.id}`)).status).toBe(200);
    await expectProblem(await bearer(token, `/api/v1/insights/${emeaInsight.id}`), 404);
  });

  it('a read token cannot write: 403 problem naming the scope, nothing written, the refusal audited', async () => {
    const { token, id } = await createToken(ari, ['insights:read']);
    const body = newInsight('Refused write through a read token');
    const problem = await expectProblem(await bearerSend(token, 'POST', '/api/v1/insights', body), 403);
    expect(problem.detail).toContain('insights:write');
    expect(await insightRows(body.text)).toEqual([]);
    const refused = await api.refusals(id);
    expect(refused.map((e) => e.details)).toEqual([
      { tokenId: id, needed: 'insights:write', method: 'POST', route: '/api/v1/insights' },
    ]);
  });

  it('an advocate’s write token captures as its owner, without a CSRF token', async () => {
    const { token } = await createToken(ari, ['insights:write']);
    const body = newInsight('Captured through an advocate token');
    const response = await bearerSend(token, 'POST', '/api/v1/insights', body);
    expect(response.status, await response.clone().text()).toBe(201);
    const created = (await response.json()) as Insight;
    expect(created.author.name).toBe('Ari Levy');
    expect(await insightRows(body.text)).toHaveLength(1);
  });

  it('loses write at once when the owner becomes a viewer, and everything when they lose every role', async () => {
    const { token } = await createToken(ari, ['insights:read', 'insights:write']);
    await api.withGroups('ari.levy@example.com', ['bi-viewers'], async () => {
      await expectProblem(await bearerSend(token, 'POST', '/api/v1/insights', newInsight()), 403);
      // A viewer reads reporting org-wide; the read scope still works.
      expect((await bearer(token, `/api/v1/insights/${amerInsight.id}`)).status).toBe(200);
    });
    await api.withGroups('ari.levy@example.com', ['sales'], async () => {
      await expectProblem(await bearer(token, '/api/v1/insights'), 401);
    });
    expect((await bearerSend(token, 'POST', '/api/v1/insights', newInsight())).status).toBe(201);
  });
});

describe('people (read)', () => {
  it('a manager’s people:read token lists her reporting scope only; someone outside it is 404', async () => {
    const { token } = await createToken(maya, ['people:read']);
    const response = await bearer(token, '/api/v1/org/people?limit=100');
    expect(response.status, await response.clone().text()).toBe(200);
    const emails = ((await response.json()) as OrgPeoplePage).items.map((p) => p.email);
    expect(emails).toContain('ari.levy@example.com');
    expect(emails).not.toContain('fatima.zahra@example.com');
    const ariId = (await api.person('ari.levy@example.com')).id;
    const fatimaId = (await api.person('fatima.zahra@example.com')).id;
    expect((await bearer(token, `/api/v1/org/people/${ariId}`)).status).toBe(200);
    await expectProblem(await bearer(token, `/api/v1/org/people/${fatimaId}`), 404);
  });

  it('needs the people:read scope, and the directory policy still applies to advocates and viewers', async () => {
    const other = await createToken(maya, ['insights:read']);
    const problem = await expectProblem(await bearer(other.token, '/api/v1/org/people'), 403);
    expect(problem.detail).toContain('people:read');
    for (const who of [ari, victor]) {
      const { token } = await createToken(who, ['people:read']);
      await expectProblem(await bearer(token, '/api/v1/org/people'), 403);
    }
  });

  it('stops at once when the manager is demoted to advocate', async () => {
    const { token } = await createToken(maya, ['people:read']);
    expect((await bearer(token, '/api/v1/org/people')).status).toBe(200);
    await api.withGroups('maya.patel@example.com', ['builder-relations', 'br-team-amer'], async () => {
      await expectProblem(await bearer(token, '/api/v1/org/people'), 403);
    });
    expect((await bearer(token, '/api/v1/org/people')).status).toBe(200);
  });

  it('org administration stays session-only: a token is refused there (401)', async () => {
    const { token } = await createToken(maya, ['people:read']);
    for (const path of ['/api/v1/org/status', '/api/v1/org/conflicts', '/api/v1/org/hierarchy/issues']) {
      await expectProblem(await bearer(token, path), 401);
    }
  });
});

describe('report summaries', () => {
  it('a viewer’s reporting:read token reads the dashboard and the executive report', async () => {
    const { token } = await createToken(victor, ['reporting:read']);
    for (const path of ['/api/v1/dashboard?period=last30', '/api/v1/reports/executive?period=quarter']) {
      const response = await bearer(token, path);
      expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    }
    const reader = await createToken(victor, ['insights:read']);
    const problem = await expectProblem(await bearer(reader.token, '/api/v1/dashboard'), 403);
    expect(problem.detail).toContain('reporting:read');
  });

  it('the dashboard counts only the owner’s scope', async () => {
    const [ariToken, fatimaToken] = [
      await createToken(ari, ['reporting:read']),
      await createToken(fatima, ['reporting:read']),
    ];
    const scopeLabel = async (token: string) =>
      ((await (await bearer(token, '/api/v1/dashboard')).json()) as { scopeLabel: string }).scopeLabel;
    const session = (await ari.json<{ scopeLabel: string }>('/api/v1/dashboard')).scopeLabel;
    expect(await scopeLabel(ariToken.token)).toBe(session);
    expect(await scopeLabel(fatimaToken.token)).not.toBe(session);
  });
});

describe('scopes a role may hold', () => {
  const create = (who: Session, scopes: string[]) =>
    who.post('/api/v1/tokens', { name: 'x', scopes, expiresInDays: 7 });

  it('viewers get read scopes only: a write scope is 403 naming body.scopes', async () => {
    for (const scope of ['insights:write', 'events:write']) {
      const problem = await expectProblem(await create(victor, ['insights:read', scope]), 403);
      expect(problem.errors).toEqual([{ field: 'body.scopes', message: expect.stringContaining(scope) }]);
    }
    const reads = ['insights:read', 'events:read', 'people:read', 'reporting:read'];
    expect((await create(victor, reads)).status).toBe(201);
  });

  it('advocates cannot hold events:write, as a personal token or a service token request', async () => {
    const personal = await expectProblem(await create(ari, ['events:read', 'events:write']), 403);
    expect(personal.errors?.[0]?.field).toBe('body.scopes');
    expect(personal.errors?.[0]?.message).toContain('events:write');
    const request = await ari.post('/api/v1/token-requests', {
      name: 'Event sync',
      scopes: ['events:write'],
      expiresInDays: 30,
      justification: 'Sync events from the PMO tracker',
    });
    expect((await expectProblem(request, 403)).errors?.[0]?.field).toBe('body.scopes');
    expect((await create(ari, ['insights:write', 'people:read'])).status).toBe(201);
  });

  it('managers may hold every scope, and the list shows what each token carries', async () => {
    const all = [
      'insights:read',
      'insights:write',
      'events:read',
      'events:write',
      'people:read',
      'reporting:read',
    ];
    const response = await create(maya, all);
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as ApiTokenSummary;
    const list = await maya.json<{ items: ApiTokenSummary[] }>('/api/v1/tokens');
    expect(list.items.find((t) => t.id === id)).toMatchObject({ scopes: all, rateLimitPerMinute: null });
  });
});
