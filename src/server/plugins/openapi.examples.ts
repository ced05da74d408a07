/**
 * Request and response examples for the main public API operations, merged into the OpenAPI document by
 * registerOpenApi. Keyed by `METHOD /route` exactly as the route is declared (Fastify's `:param` form).
 * test/api/public-api-openapi.test.ts parses every example with the route's own zod schemas, so an example
 * that stops matching its operation fails the build instead of misleading a reader.
 */
export interface OperationExample {
  /** Path parameters, as sent. */
  params?: Record<string, string>;
  /** Query-string values, as sent (strings). */
  query?: Record<string, string>;
  body?: unknown;
  /** The status of the answer shown, and the answer. */
  status: number;
  response: unknown;
}

// Stable, well-formed ids so examples read as one story (an AMER advocate at one event).
const ids = {
  insight: '0f8e3c1a-6b2d-4e5f-9a7b-1c2d3e4f5a6b',
  insight2: '3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  event: '5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f',
  session: '7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e',
  ari: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
  maya: '9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b',
} as const;
const ari = { id: ids.ari, name: 'Ari Levy' };
const maya = { id: ids.maya, name: 'Maya Patel' };
const devDay = { id: ids.event, name: 'Berlin Dev Day' };
const at = '2026-03-12T10:15:00.000Z';

const newInsight = {
  id: ids.insight,
  text: 'Vector search index builds time out on collections over 50M documents.',
  title: 'Vector index build timeouts',
  type: 'pain_point',
  productAreas: ['atlas_vector_search'],
  sentiment: 'negative',
  priority: 'high',
  tags: ['scale', 'indexing'],
  developer: { role: 'ML engineer', company: 'Acme Retail' },
  followUp: true,
  eventId: ids.event,
  sessionId: ids.session,
  capturedAt: at,
};

const insight = {
  ...newInsight,
  followUpState: { status: 'open', owner: null, issueUrl: null, issueKind: null, updatedAt: null },
  event: devDay,
  session: { id: ids.session, title: 'Vector search in production' },
  author: ari,
  source: 'capture',
  taxonomyVersion: '2026.1',
  version: 1,
  mergedInto: null,
  mergedCount: 0,
  createdAt: at,
  updatedAt: at,
};
const { eventId: _eventId, sessionId: _sessionId, ...insightFields } = insight;

const period = {
  period: 'last30',
  from: '2026-02-11',
  to: '2026-03-12',
  days: 30,
  previousFrom: '2026-01-12',
  previousTo: '2026-02-10',
  label: 'Last 30 days',
};
const cards = [
  { key: 'insights', label: 'Insights', value: 128, previous: 97, change: 0.3196 },
  { key: 'critical', label: 'Critical', value: 6, previous: 0, change: null },
];
const distributions = {
  byType: [{ key: 'pain_point', label: 'Pain Point', count: 41 }],
  bySentiment: [{ key: 'negative', label: 'Negative', count: 37 }],
  byPriority: [{ key: 'high', label: 'High', count: 22 }],
  byProductArea: [{ key: 'atlas_vector_search', label: 'Atlas Vector Search', count: 30 }],
};
const criticalItem = {
  id: ids.insight2,
  title: 'Driver crash on reconnect',
  excerpt: 'The Node driver crashes when the replica set fails over during a change stream…',
  type: 'bug_report',
  sentiment: 'negative',
  priority: 'critical',
  productAreas: ['drivers'],
  author: ari,
  event: devDay,
  capturedAt: at,
};

const eventListItem = {
  id: ids.event,
  name: 'Berlin Dev Day',
  quarter: 'Q1 FY27',
  status: 'confirmed',
  eventType: 'regional_dev_day',
  engagementType: 'community',
  region: 'EMEA',
  attendance: 'on_site',
  location: 'Berlin, Germany',
  startsOn: '2026-03-12',
  endsOn: '2026-03-12',
  isActive: true,
  accountName: null,
  accountSegment: null,
  owner: maya,
  sessionCount: 1,
  assignedCount: 1,
  insightCount: 14,
  canManage: true,
};
const newSession = {
  title: 'Vector search in production',
  speaker: 'Ari Levy',
  room: 'Hall 2',
  startsAt: '2026-03-12T09:00:00.000Z',
  endsAt: '2026-03-12T10:00:00.000Z',
  audienceSize: 120,
};
const eventSession = {
  id: ids.session,
  eventId: ids.event,
  ...newSession,
  commonQuestions: null,
  resonantDemos: null,
  engagementNotes: null,
  insightCount: 0,
  version: 1,
  updatedAt: at,
};
const newEvent = {
  name: 'Berlin Dev Day',
  eventType: 'regional_dev_day',
  startsOn: '2026-03-12',
  endsOn: '2026-03-12',
  quarter: 'Q1 FY27',
  status: 'confirmed',
  engagementType: 'community',
  region: 'EMEA',
  attendance: 'on_site',
  location: 'Berlin, Germany',
  timezone: 'Europe/Berlin',
  slackChannel: '#devday-berlin',
  assignments: [{ personId: ids.ari, role: 'on_site' }],
};
const eventDetail = {
  ...eventListItem,
  latitude: 52.52,
  longitude: 13.405,
  timezone: 'Europe/Berlin',
  champion: null,
  marketer: null,
  eventUrl: null,
  trackerUrl: null,
  salesforceUrl: null,
  slackChannel: '#devday-berlin',
  techStack: [],
  travelStatus: null,
  assignments: [{ person: { ...ari, team: 'AMER' }, role: 'on_site' }],
  sessions: [{ ...eventSession, insightCount: 14 }],
  coverage: {
    totalInsights: 14,
    assigned: [{ person: ari, role: 'on_site', insights: 14, inScope: true }],
    unassigned: [],
    assignedWithoutInsights: 0,
  },
  latestInsights: [
    {
      id: ids.insight,
      title: insight.title,
      excerpt: insight.text,
      type: 'pain_point',
      sentiment: 'negative',
      priority: 'high',
      sessionId: ids.session,
      author: ari,
      capturedAt: at,
    },
  ],
  version: 3,
  createdAt: '2026-01-20T08:00:00.000Z',
  updatedAt: at,
};
const createdEvent = {
  ...eventDetail,
  sessionCount: 0,
  insightCount: 0,
  latitude: null,
  longitude: null,
  sessions: [],
  coverage: { totalInsights: 0, assigned: [], unassigned: [], assignedWithoutInsights: 1 },
  latestInsights: [],
  version: 1,
  createdAt: at,
};

export const OPENAPI_EXAMPLES: Record<string, OperationExample> = {
  'GET /api/v1/insights': {
    query: { q: 'vector index', priority: 'high', limit: '25' },
    status: 200,
    response: {
      items: [
        {
          ...insightFields,
          snippet: [
            { text: 'Vector search ', match: false },
            { text: 'index', match: true },
            { text: ' builds time out…', match: false },
          ],
          rank: 0.61,
        },
      ],
      nextCursor: null,
    },
  },
  'POST /api/v1/insights': { body: newInsight, status: 201, response: insightFields },
  'GET /api/v1/events': {
    query: { region: 'EMEA', from: '2026-03-01', limit: '50' },
    status: 200,
    response: { items: [eventListItem], nextCursor: null },
  },
  'GET /api/v1/events/:id': { params: { id: ids.event }, status: 200, response: eventDetail },
  'POST /api/v1/events': { body: newEvent, status: 201, response: createdEvent },
  'POST /api/v1/events/:id/sessions': {
    params: { id: ids.event },
    body: newSession,
    status: 201,
    response: eventSession,
  },
  'GET /api/v1/org/people': {
    query: { q: 'ari', limit: '50' },
    status: 200,
    response: {
      items: [
        {
          id: ids.ari,
          name: 'Ari Levy',
          email: 'ari.levy@example.com',
          employeeNumber: 'E1042',
          status: 'active',
          department: 'Builder Relations',
          title: 'Developer Advocate',
          team: 'AMER',
          manager: maya,
          builderRelations: true,
          orgSource: 'scim',
          role: 'advocate',
          scope: { kind: 'limited', teams: ['AMER'], trees: [], units: [] },
          scopeLabel: 'Team AMER',
          entitlements: [
            {
              role: 'advocate',
              scopeKind: 'team',
              source: 'idp_group',
              ruleId: 'R2',
              exceptionId: null,
              expiresAt: null,
              reason: 'advocate because rule R2 matched: member of builder-relations',
            },
          ],
          hasException: false,
          lastSignInAt: at,
        },
      ],
      nextCursor: null,
      ruleSetVersion: 4,
    },
  },
  'GET /api/v1/dashboard': {
    query: { period: 'last30', productArea: 'atlas_vector_search' },
    status: 200,
    response: {
      scopeLabel: 'Team AMER',
      period,
      cards,
      trend: [{ date: '2026-03-12', total: 9, positive: 2, neutral: 3, negative: 4 }],
      distributions,
      topEvents: [{ ...devDay, count: 14 }],
      topContributors: [{ ...ari, count: 14, team: 'AMER' }],
      critical: [criticalItem],
      coverage: [
        {
          event: { ...devDay, startsOn: '2026-03-12', endsOn: '2026-03-12' },
          insights: 14,
          contributors: 1,
          sessions: 1,
          sessionsCovered: 1,
        },
      ],
      taxonomyVersion: '2026.1',
      generatedAt: at,
    },
  },
  'GET /api/v1/reports/executive': {
    query: { period: 'quarter', at: '2026-03-12' },
    status: 200,
    response: {
      title: 'Builder Insights — Q1 2026',
      scopeLabel: 'Whole organisation',
      period: {
        ...period,
        period: 'quarter',
        from: '2026-01-01',
        to: '2026-03-31',
        days: 90,
        label: 'Q1 2026',
      },
      filters: { period: 'quarter', at: '2026-03-12' },
      cards,
      narrative: [{ heading: 'Volume', text: '128 insights this quarter, up 32% on the previous one.' }],
      themes: [],
      critical: [criticalItem],
      distributions,
      topEvents: [{ ...devDay, count: 14 }],
      summaryAvailable: false,
      taxonomyVersion: '2026.1',
      generatedAt: at,
    },
  },
};
