import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people, scimGroupMembers, scimGroups } from '../../src/server/db/schema.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { createCredential } from '../../src/server/modules/scim/scim.credentials.ts';
import { SCIM, scimClient } from '../helpers/scim.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';

/**
 * GET /Groups pages with members inline, checked against the database row by row: a page in the middle
 * (startIndex > 1), the last partial page, paging under a members filter, ties on created_at, empty groups,
 * display names that need escaping, and the projections (attributes, excludedAttributes).
 */

let stack: TestStack;
let token: string;
const db = () => stack.db.database.db;
const scim = scimClient(
  () => stack.baseUrl,
  () => token,
);

interface Member {
  value: string;
  display: string;
}
interface Expected {
  id: string;
  displayName: string;
  externalId: string | null;
  members: Member[];
}

/** The listing as the database holds it, computed here independently of the app: (created_at, id) order. */
let expected: Expected[] = [];
let personIds: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  token = (await createCredential(db(), systemContext('test'), 'okta', new Date())).token;
  const now = Date.now();
  personIds = Array.from({ length: 40 }, () => randomUUID());
  const names = (n: number) =>
    n % 7 === 0 ? `Zoë "Quote" \\ O'Brien ${n}` : n % 11 === 0 ? `Ünïcødé\u2028Line ${n}` : `Paged User ${n}`;
  await db()
    .insert(people)
    .values(
      personIds.map((id, n) => ({
        id,
        email: `paged.user${n}@example.com`,
        displayName: names(n),
        userName: `paged.user${n}@example.com`,
        orgSource: 'scim' as const,
        status: 'active' as const,
        scimResource: { userName: `paged.user${n}@example.com`, active: true },
        createdAt: new Date(now),
        updatedAt: new Date(now),
      })),
    );
  // 14 groups; groups 6 and 7 share created_at (the id breaks the tie); group 9 has no members.
  const groups = await db()
    .insert(scimGroups)
    .values(
      Array.from({ length: 14 }, (_, g) => ({
        displayName: `paged-group-${String(g).padStart(2, '0')}`,
        externalId: g % 3 === 0 ? null : `00gpaged${g}`,
        createdAt: new Date(now - 100_000 + (g === 7 ? 6 : g) * 1_000),
        updatedAt: new Date(now),
      })),
    )
    .returning();
  const memberships = groups.flatMap((group, g) =>
    g === 9
      ? []
      : personIds
          .filter((_, n) => (n + g) % (g + 2) === 0 || g === 0)
          .map((personId) => ({ groupId: group.id, personId })),
  );
  await db().insert(scimGroupMembers).values(memberships);

  const byId = new Map(personIds.map((id, n) => [id, names(n)]));
  const rows = [...(await db().select().from(scimGroups))].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const links = await db().select().from(scimGroupMembers);
  expected = rows.map((row) => ({
    id: row.id,
    displayName: row.displayName,
    externalId: row.externalId,
    members: links
      .filter((l) => l.groupId === row.id)
      .map((l) => ({ value: l.personId, display: byId.get(l.personId) ?? '?' }))
      .sort((a, b) => (a.value < b.value ? -1 : 1)),
  }));
});
afterAll(async () => {
  await stack?.close();
});

type Resource = {
  id: string;
  schemas: string[];
  displayName?: string;
  externalId?: string;
  members?: Member[];
  meta?: { location: string };
};

function expectResources(resources: Resource[], want: Expected[]) {
  expect(resources.map((r) => r.id)).toEqual(want.map((g) => g.id));
  resources.forEach((resource, i) => {
    const group = want[i] as Expected;
    expect(resource).toEqual({
      schemas: [SCIM.GROUP],
      id: group.id,
      displayName: group.displayName,
      ...(group.externalId ? { externalId: group.externalId } : {}),
      members: group.members,
      meta: {
        resourceType: 'Group',
        created: expect.any(String),
        lastModified: expect.any(String),
        location: `${stack.baseUrl}/scim/v2/Groups/${group.id}`,
      },
    });
  });
}

describe('SCIM /Groups paging with members inline', () => {
  it('answers a page in the middle with exactly the members the database holds', async () => {
    expect(expected).toHaveLength(14);
    expect(expected[9]?.members).toEqual([]);
    expect(expected.reduce((n, g) => n + g.members.length, 0)).toBeGreaterThan(80);
    const page = await scim('GET', '/Groups?startIndex=5&count=4');
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body).toMatchObject({ totalResults: 14, itemsPerPage: 4, startIndex: 5 });
    expectResources(page.body.Resources, expected.slice(4, 8));

    const rest = await scim('GET', '/Groups?startIndex=9&count=100');
    expect(rest.body).toMatchObject({ totalResults: 14, itemsPerPage: 6, startIndex: 9 });
    expectResources(rest.body.Resources, expected.slice(8));

    const all = await scim('GET', '/Groups');
    expectResources(all.body.Resources, expected);
  });

  it('pages under a members filter, still answering every member of each group on the page', async () => {
    const person = personIds[14] as string; // in groups 0, 1, 2, 4 and 10
    const holding = expected.filter((g) => g.members.some((m) => m.value === person));
    expect(holding.length).toBeGreaterThan(3);
    const filter = encodeURIComponent(`members[value eq "${person}"]`);
    const page = await scim('GET', `/Groups?filter=${filter}&startIndex=2&count=2`);
    expect(page.body).toMatchObject({ totalResults: holding.length, itemsPerPage: 2, startIndex: 2 });
    expectResources(page.body.Resources, holding.slice(1, 3));
  });

  it('keeps projections and bounds on a middle page', async () => {
    const lean = await scim('GET', '/Groups?startIndex=5&count=4&excludedAttributes=members');
    expect(lean.body.Resources.map((r: Resource) => r.id)).toEqual(expected.slice(4, 8).map((g) => g.id));
    expect(lean.body.Resources.every((r: Resource) => r.members === undefined && r.meta)).toBe(true);

    const onlyMembers = await scim('GET', '/Groups?startIndex=6&count=2&attributes=members');
    expect(onlyMembers.body.Resources).toEqual(
      expected.slice(5, 7).map((g) => ({ schemas: [SCIM.GROUP], id: g.id, members: g.members })),
    );
    const names = await scim('GET', '/Groups?startIndex=6&count=2&attributes=displayName');
    expect(names.body.Resources).toEqual(
      expected.slice(5, 7).map((g) => ({ schemas: [SCIM.GROUP], id: g.id, displayName: g.displayName })),
    );
    const values = await scim('GET', '/Groups?startIndex=3&count=1&attributes=members.value');
    expect(values.body.Resources[0].members).toEqual(expected[2]?.members.map((m) => ({ value: m.value })));

    const none = await scim('GET', '/Groups?startIndex=6&count=0');
    expect(none.body).toMatchObject({ totalResults: 14, itemsPerPage: 0, Resources: [] });
    const beyond = await scim('GET', '/Groups?startIndex=15');
    expect(beyond.body).toMatchObject({ totalResults: 14, itemsPerPage: 0, startIndex: 15, Resources: [] });
  });
});
