import type { FollowUpStatus } from '../../../contract/reporting.ts';
import type { InsightType, Priority, ProductArea, Sentiment } from '../../../contract/taxonomy.ts';

/**
 * Demo content: fictional but realistic field notes, so the first screen of a fresh install is not empty. Each
 * quote is captured once; `variants` are the same complaint heard again from other developers (reworded,
 * reordered, with typos): the genuine near-duplicates a reviewer merges. Everything else is distinct.
 */
export interface DemoQuote {
  text: string;
  type: InsightType;
  areas: ProductArea[];
  sentiment: Sentiment;
  priority: Priority;
  tags?: string[];
  developer?: { role?: string; company?: string; experience?: string };
  followUp?: boolean;
  /** Where the follow-up stands (default: open when followUp); the owner by e-mail. */
  followUpState?: { status: FollowUpStatus; owner?: string; issueUrl?: string };
  /** recent: the last 30 days; earlier: the 30 days before (so themes can grow); default: either. */
  window?: 'recent' | 'earlier';
  variants?: string[];
}

export const DEMO_QUOTES: DemoQuote[] = [
  {
    text: 'Setting up a vector index took us two days because the docs skip how to pick numDimensions for our embedding model.',
    type: 'documentation',
    areas: ['atlas_vector_search'],
    sentiment: 'negative',
    priority: 'high',
    tags: ['onboarding'],
    developer: { role: 'ML engineer', company: 'Fintech startup', experience: '5 years' },
    variants: [
      "It took us two days to set up a vector index because the docs don't explain how to pick numDimensions for our embedding model.",
    ],
  },
  {
    text: 'We want hybrid search that merges full-text and vector scores without writing our own reciprocal rank fusion.',
    type: 'feature_request',
    areas: ['atlas_search', 'atlas_vector_search'],
    sentiment: 'neutral',
    priority: 'high',
    tags: ['hybrid-search'],
    followUp: true,
    followUpState: {
      status: 'in_progress',
      owner: 'maya.patel@example.com',
      issueUrl: 'https://jira.example.com/browse/SEARCH-1423',
    },
    window: 'recent',
  },
  {
    text: 'Change streams dropped events after a failover and we only noticed a day later. Need clearer resume token guidance.',
    type: 'pain_point',
    areas: ['server', 'drivers'],
    sentiment: 'negative',
    priority: 'critical',
    tags: ['reliability'],
    followUp: true,
    followUpState: {
      status: 'in_progress',
      owner: 'erik.lindqvist@example.com',
      issueUrl: 'https://github.com/example/builder-insights-demo/issues/18',
    },
    variants: [
      'After a failover our change streams dropped events and we only noticed a day later; we need clearer guidance on resume tokens.',
      'change stream dropped events after failover, noticed only a day later. clearer resume token guidance needed pls',
    ],
  },
  {
    text: 'Compass aggregation builder saved my team hours — the stage preview is exactly what we needed.',
    type: 'praise',
    areas: ['compass', 'aggregation'],
    sentiment: 'positive',
    priority: 'low',
  },
  {
    text: 'How do we size a cluster for 50k writes per second with time series collections?',
    type: 'question',
    areas: ['atlas', 'server'],
    sentiment: 'neutral',
    priority: 'medium',
    developer: { role: 'Platform engineer', company: 'IoT manufacturer' },
  },
  {
    text: 'The Python driver async API is great but the migration guide from Motor is hard to find.',
    type: 'documentation',
    areas: ['drivers'],
    sentiment: 'neutral',
    priority: 'medium',
    tags: ['python'],
  },
  {
    text: 'We evaluated another vector database; we stayed because keeping operational data and embeddings together removes a sync job.',
    type: 'competitive_mention',
    areas: ['atlas_vector_search'],
    sentiment: 'positive',
    priority: 'high',
    tags: ['rag'],
  },
  {
    text: 'Stream processing windows are powerful, but we cannot see why a pipeline stopped without opening a support case.',
    type: 'pain_point',
    areas: ['stream_processing'],
    sentiment: 'negative',
    priority: 'high',
    tags: ['observability'],
  },
  {
    text: 'Building a RAG assistant over 2M support tickets with Voyage embeddings and Atlas Vector Search in production.',
    type: 'use_case',
    areas: ['voyage_ai', 'atlas_vector_search'],
    sentiment: 'positive',
    priority: 'medium',
    developer: { role: 'Staff engineer', company: 'SaaS helpdesk' },
    followUp: true,
  },
  {
    text: 'Queryable Encryption range queries are the reason our compliance team approved the migration.',
    type: 'praise',
    areas: ['queryable_encryption'],
    sentiment: 'positive',
    priority: 'medium',
    tags: ['compliance'],
  },
  {
    text: 'Triggers sometimes fire twice after a deploy; we had to add idempotency keys ourselves.',
    type: 'bug_report',
    areas: ['triggers_functions'],
    sentiment: 'negative',
    priority: 'high',
    followUp: true,
    followUpState: {
      status: 'done',
      owner: 'ben.carter@example.com',
      issueUrl: 'https://jira.example.com/browse/APPSVC-311',
    },
    variants: [
      'Our triggers sometimes fire twice right after a deploy, so we had to add our own idempotency keys.',
      'Trigers fire twice after deploys sometimes - we ended up adding idempotency keys ourselves.',
    ],
  },
  {
    text: 'Schema design for multi-tenant SaaS: should tenants share collections or get a database each?',
    type: 'question',
    areas: ['data_modeling'],
    sentiment: 'neutral',
    priority: 'medium',
    tags: ['multi-tenant'],
  },
  {
    text: 'Charts embedding with row-level filters would let us drop a separate BI tool for customer dashboards.',
    type: 'feature_request',
    areas: ['charts'],
    sentiment: 'neutral',
    priority: 'medium',
    followUp: true,
    followUpState: { status: 'wont_do', owner: 'erik.lindqvist@example.com' },
  },
  {
    text: 'Data Federation let our analysts query S3 archives next to live data — the workshop demo landed really well.',
    type: 'praise',
    areas: ['data_federation'],
    sentiment: 'positive',
    priority: 'low',
    tags: ['workshop'],
  },
  {
    text: 'The Node driver TypeScript types for aggregation pipelines lose inference after $lookup.',
    type: 'pain_point',
    areas: ['drivers', 'aggregation'],
    sentiment: 'negative',
    priority: 'medium',
    tags: ['typescript'],
  },
  {
    text: 'Atlas CLI local deployments made our CI tests 3x faster than spinning up containers by hand.',
    type: 'praise',
    areas: ['atlas'],
    sentiment: 'positive',
    priority: 'low',
    tags: ['ci'],
  },
  {
    text: 'Need a way to test Atlas Search index definitions locally before pushing to staging.',
    type: 'feature_request',
    areas: ['atlas_search'],
    sentiment: 'neutral',
    priority: 'high',
    tags: ['local-dev'],
  },
  {
    text: 'Cost visibility per project is confusing; finance asked why dev clusters cost more than prod.',
    type: 'pain_point',
    areas: ['atlas'],
    sentiment: 'negative',
    priority: 'medium',
    tags: ['billing'],
    variants: [
      'Per-project cost visibility is confusing: finance asked us why our dev clusters cost more than prod.',
    ],
  },
  {
    text: 'Using time series collections for fleet telemetry: 40k vehicles reporting every 10 seconds.',
    type: 'use_case',
    areas: ['server'],
    sentiment: 'positive',
    priority: 'medium',
    developer: { role: 'CTO', company: 'Logistics scale-up' },
  },
  {
    text: 'Compared us with a Postgres extension for embeddings; they liked our managed scaling but asked about pricing at 100M vectors.',
    type: 'competitive_mention',
    areas: ['atlas_vector_search'],
    sentiment: 'neutral',
    priority: 'high',
    followUp: true,
  },
  {
    text: 'Is there a recommended pattern for GDPR erasure across backups and change stream consumers?',
    type: 'question',
    areas: ['atlas', 'server'],
    sentiment: 'neutral',
    priority: 'high',
    tags: ['compliance'],
  },
  {
    text: 'Hackathon teams loved the Voyage reranker — three of five finalists used it.',
    type: 'praise',
    areas: ['voyage_ai'],
    sentiment: 'positive',
    priority: 'low',
    tags: ['hackathon'],
  },
  {
    text: 'The Java driver connection pool metrics are not exported to Micrometer by default.',
    type: 'feature_request',
    areas: ['drivers'],
    sentiment: 'neutral',
    priority: 'medium',
    tags: ['java'],
  },
  {
    text: 'Aggregation $setWindowFields docs need an example with partitions and ranges together.',
    type: 'documentation',
    areas: ['aggregation'],
    sentiment: 'neutral',
    priority: 'low',
  },
  {
    text: 'Search index builds block our blue/green deploys for twenty minutes on large collections.',
    type: 'pain_point',
    areas: ['atlas_search'],
    sentiment: 'negative',
    priority: 'high',
    tags: ['deploys'],
  },
  {
    text: 'We would adopt Stream Processing if it supported exactly-once sinks to Kafka.',
    type: 'feature_request',
    areas: ['stream_processing'],
    sentiment: 'neutral',
    priority: 'critical',
    tags: ['kafka'],
    followUp: true,
    followUpState: { status: 'open', owner: 'maya.patel@example.com' },
  },
];
