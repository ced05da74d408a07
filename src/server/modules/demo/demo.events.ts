/**
 * The demo calendar: four events as the program office plans them (PMO fields, owner = the region's manager,
 * the team's advocates assigned with their roles) and sessions with what the room asked and what landed.
 * Dates are relative to the day of seeding; the fiscal quarter is derived from the start day (demoQuarter).
 * Fictional companies and people. No randomness here: the insights' PRNG sequence does not depend on it.
 */

export interface DemoSession {
  title: string;
  speaker: string;
  room: string;
  /** Hours after 00:00 UTC of the event's first day. */
  atHour: number;
  minutes: number;
  audienceSize: number;
  commonQuestions?: string;
  resonantDemos?: string;
  engagementNotes?: string;
}

export const DEMO_EVENTS = [
  {
    key: 'nyc',
    name: 'MongoDB.local NYC',
    eventType: 'regional_dev_day',
    engagementType: 'conference',
    status: 'confirmed',
    attendance: 'on_site',
    region: 'AMER',
    location: 'New York, NY',
    latitude: 40.7506,
    longitude: -73.9935,
    timezone: 'America/New_York',
    offsetDays: -2,
    lengthDays: 2,
    isActive: true,
    team: 'amer',
    owner: 'maya.patel@example.com',
    accountName: null,
    accountSegment: 'ALL',
    champion: null,
    marketer: 'Riley Brooks (Field Marketing)',
    eventUrl: 'https://events.example.com/local-nyc',
    trackerUrl: 'https://tracker.example.com/browse/DEVREL-1412',
    salesforceUrl: null,
    slackChannel: 'local-nyc',
    techStack: ['Atlas', 'Vector Search', 'Python', 'LangChain'],
    travelStatus: 'booked',
    assignments: [
      { email: 'ari.levy@example.com', role: 'on_site' },
      { email: 'ben.carter@example.com', role: 'on_site' },
      { email: 'camila.reyes@example.com', role: 'remote' },
    ],
    sessions: [
      {
        title: 'Keynote: Building AI apps on your operational data',
        speaker: 'Maya Patel',
        room: 'Main stage',
        atHour: 14,
        minutes: 45,
        audienceSize: 620,
        commonQuestions: 'How is vector search priced? Can it run next to our existing clusters?',
        resonantDemos: 'Semantic search over the product catalog, live in two minutes.',
        engagementNotes: 'Standing room only; the Q&A ran ten minutes over.',
      },
      {
        title: 'Hands-on: Vector search in 30 minutes',
        speaker: 'Ari Levy',
        room: 'Workshop room B',
        atHour: 16,
        minutes: 90,
        audienceSize: 48,
        commonQuestions: 'Which embedding model to start with; how to combine filters with vector queries.',
        resonantDemos: 'Hybrid search with a pre-filter on category.',
        engagementNotes: 'Two laptops could not reach Atlas through the venue Wi-Fi; hotspot fixed it.',
      },
      {
        title: 'Ask the experts',
        speaker: 'Ben Carter',
        room: 'Expo booth 12',
        atHour: 19,
        minutes: 120,
        audienceSize: 85,
        commonQuestions: 'Upgrading drivers; change streams firing twice after failover.',
      },
    ] satisfies DemoSession[],
  },
  {
    key: 'berlin',
    name: 'AI Builders Hackathon Berlin',
    eventType: 'hackathon',
    engagementType: 'community',
    status: 'confirmed',
    attendance: 'hybrid',
    region: 'EMEA',
    location: 'Berlin, Germany',
    latitude: 52.5065,
    longitude: 13.4437,
    timezone: 'Europe/Berlin',
    offsetDays: -1,
    lengthDays: 3,
    isActive: true,
    team: 'emea',
    owner: 'erik.lindqvist@example.com',
    accountName: null,
    accountSegment: null,
    champion: 'Lukas Meyer (Berlin AI Meetup)',
    marketer: 'Sofia Conti (Community Marketing)',
    eventUrl: 'https://events.example.com/ai-builders-berlin',
    trackerUrl: 'https://tracker.example.com/browse/DEVREL-1437',
    salesforceUrl: null,
    slackChannel: 'hackathon-berlin',
    techStack: ['Atlas', 'Vector Search', 'TypeScript', 'MCP'],
    travelStatus: 'approved',
    assignments: [
      { email: 'fatima.zahra@example.com', role: 'on_site' },
      { email: 'gustav.berg@example.com', role: 'volunteer_travel' },
      { email: 'hannah.schmidt@example.com', role: 'remote' },
    ],
    sessions: [
      {
        title: 'Kick-off and team forming',
        speaker: 'Fatima Zahra',
        room: 'Hall 1',
        atHour: 8,
        minutes: 60,
        audienceSize: 140,
        commonQuestions: 'Free tier limits for the weekend; whether the MCP server works with local models.',
        engagementNotes: '32 teams formed; a third chose agent memory as their theme.',
      },
      {
        title: 'Mentor office hours: RAG patterns',
        speaker: 'Gustav Berg',
        room: 'Mentor lounge',
        atHour: 12,
        minutes: 180,
        audienceSize: 36,
        commonQuestions: 'Chunking strategies; re-ranking; keeping embeddings in sync with source documents.',
        resonantDemos: 'Atlas Triggers re-embedding changed documents automatically.',
      },
    ] satisfies DemoSession[],
  },
  {
    key: 'webinar',
    name: 'Atlas Search Deep Dive (virtual)',
    eventType: 'workshop_webinar',
    engagementType: 'customer',
    status: 'completed',
    attendance: 'virtual',
    region: 'AMER',
    location: 'Virtual',
    latitude: null,
    longitude: null,
    timezone: 'America/Chicago',
    offsetDays: -24,
    lengthDays: 1,
    isActive: false,
    team: 'amer',
    owner: 'maya.patel@example.com',
    accountName: 'Northwind Retail',
    accountSegment: 'KEY_GROWTH',
    champion: 'Priscilla Gomez (Staff Engineer, Northwind)',
    marketer: null,
    eventUrl: null,
    trackerUrl: 'https://tracker.example.com/browse/DEVREL-1359',
    salesforceUrl: 'https://salesforce.example.com/lightning/r/Opportunity/006NW0001/view',
    slackChannel: 'cust-northwind',
    techStack: ['Atlas Search', 'Java', 'Spring Boot', 'Elasticsearch (migrating from)'],
    travelStatus: 'not_needed',
    assignments: [
      { email: 'jordan.kim@example.com', role: 'remote' },
      { email: 'camila.reyes@example.com', role: 'remote' },
    ],
    sessions: [
      {
        title: 'Relevance tuning workshop',
        speaker: 'Jordan Kim',
        room: 'Zoom',
        atHour: 16,
        minutes: 120,
        audienceSize: 22,
        commonQuestions: 'Mapping their Elasticsearch analyzers; synonyms at scale; boosting by margin.',
        resonantDemos: 'Compound queries with function scores on inventory.',
        engagementNotes: 'Their search team wants a follow-up on faceting performance.',
      },
    ] satisfies DemoSession[],
  },
  {
    key: 'fintech',
    name: 'Architect Day: Fintech London',
    eventType: 'architect_day',
    engagementType: 'customer',
    status: 'completed',
    attendance: 'on_site',
    region: 'EMEA',
    location: 'London, UK',
    latitude: 51.5138,
    longitude: -0.0984,
    timezone: 'Europe/London',
    offsetDays: -17,
    lengthDays: 1,
    isActive: false,
    team: 'emea',
    owner: 'erik.lindqvist@example.com',
    accountName: 'Ledgerly Payments',
    accountSegment: 'ANCHOR',
    champion: 'Tom Ashworth (Head of Platform, Ledgerly)',
    marketer: 'Sofia Conti (Community Marketing)',
    eventUrl: null,
    trackerUrl: 'https://tracker.example.com/browse/DEVREL-1388',
    salesforceUrl: 'https://salesforce.example.com/lightning/r/Opportunity/006LP0042/view',
    slackChannel: 'cust-ledgerly',
    techStack: ['Atlas', 'Queryable Encryption', 'Kotlin', 'Kafka'],
    travelStatus: 'booked',
    assignments: [
      { email: 'hannah.schmidt@example.com', role: 'on_site' },
      { email: 'fatima.zahra@example.com', role: 'remote' },
    ],
    sessions: [
      {
        title: 'Data modeling for payments',
        speaker: 'Hannah Schmidt',
        room: 'Boardroom 4',
        atHour: 9,
        minutes: 90,
        audienceSize: 14,
        commonQuestions:
          'Multi-document transactions at their volume; idempotency keys; ledger immutability.',
        resonantDemos: 'Bucket pattern for daily balances.',
      },
      {
        title: 'Queryable Encryption in practice',
        speaker: 'Fatima Zahra',
        room: 'Boardroom 4',
        atHour: 13,
        minutes: 60,
        audienceSize: 11,
        commonQuestions: 'Range queries on encrypted fields; key rotation with their HSM.',
        engagementNotes: 'Security team joined; they asked for the compliance mapping document.',
      },
    ] satisfies DemoSession[],
  },
] as const;

/**
 * The fiscal quarter of a day, as the program office writes it ("Q3 FY27"), for a fiscal year that starts on
 * 1 February and is named after the calendar year it ends in.
 */
export function demoQuarter(day: Date): string {
  const month = day.getUTCMonth(); // 0 = January
  const fiscalYear = month >= 1 ? day.getUTCFullYear() + 1 : day.getUTCFullYear();
  const quarter = Math.floor(((month + 11) % 12) / 3) + 1;
  return `Q${quarter} FY${String(fiscalYear % 100).padStart(2, '0')}`;
}
