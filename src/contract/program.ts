import type { TaxonomyEntry } from './taxonomy.ts';

/**
 * The program office's vocabulary for events (REFERENCE §1), beside the insight taxonomy. Dependency-free:
 * the capture PWA and the admin app import it. Like the taxonomy, an id that stored rows use is never removed.
 */
export const EVENT_STATUSES = [
  { id: 'planning', label: 'Planning' },
  { id: 'confirmed', label: 'Confirmed' },
  { id: 'completed', label: 'Completed' },
  { id: 'postponed', label: 'Postponed' },
  { id: 'cancelled', label: 'Cancelled' },
] as const satisfies readonly TaxonomyEntry[];

/** Who the engagement is with (the event type says what format it has). */
export const ENGAGEMENT_TYPES = [
  { id: 'customer', label: 'Customer engagement' },
  { id: 'community', label: 'Community' },
  { id: 'conference', label: 'Conference' },
  { id: 'partner', label: 'Partner' },
  { id: 'internal', label: 'Internal' },
] as const satisfies readonly TaxonomyEntry[];

export const ATTENDANCE_MODES = [
  { id: 'on_site', label: 'On-site' },
  { id: 'virtual', label: 'Virtual' },
  { id: 'hybrid', label: 'Hybrid' },
] as const satisfies readonly TaxonomyEntry[];

/** Account segments the program office plans against. */
export const ACCOUNT_SEGMENTS = [
  { id: 'POD', label: 'POD' },
  { id: 'ANCHOR', label: 'ANCHOR' },
  { id: 'ASPIRE_POD', label: 'ASPIRE POD' },
  { id: 'KEY_GROWTH', label: 'KEY GROWTH' },
  { id: 'ALL', label: 'ALL' },
] as const satisfies readonly TaxonomyEntry[];

export const TRAVEL_STATUSES = [
  { id: 'not_needed', label: 'Not needed' },
  { id: 'requested', label: 'Requested' },
  { id: 'approved', label: 'Approved' },
  { id: 'booked', label: 'Booked' },
] as const satisfies readonly TaxonomyEntry[];

/** How an advocate is assigned to an event. */
export const ASSIGNMENT_ROLES = [
  { id: 'on_site', label: 'On-site' },
  { id: 'remote', label: 'Remote' },
  { id: 'volunteer_travel', label: 'Volunteer travel' },
] as const satisfies readonly TaxonomyEntry[];

/**
 * Event fields a PMO spreadsheet column can map onto (the import's target vocabulary). `synonyms` are the
 * spellings the program office is known to use; the fuzzy matcher and learned aliases handle the rest.
 * `assigned_*` columns hold e-mail addresses or names separated by commas, semicolons or new lines.
 */
export const IMPORT_FIELDS = [
  { id: 'name', label: 'Event name', required: true, synonyms: ['event', 'event name', 'title', 'name'] },
  { id: 'starts_on', label: 'Start date', required: true, synonyms: ['start', 'start date', 'date', 'from'] },
  { id: 'ends_on', label: 'End date', required: false, synonyms: ['end', 'end date', 'to', 'until'] },
  { id: 'quarter', label: 'Quarter', required: false, synonyms: ['quarter', 'fiscal quarter', 'fy quarter'] },
  { id: 'status', label: 'Status', required: false, synonyms: ['status', 'event status', 'state'] },
  { id: 'event_type', label: 'Event type', required: false, synonyms: ['type', 'event type', 'format'] },
  {
    id: 'engagement_type',
    label: 'Engagement type',
    required: false,
    synonyms: ['engagement', 'engagement type', 'audience type'],
  },
  { id: 'region', label: 'Region', required: false, synonyms: ['region', 'geo', 'theater', 'territory'] },
  {
    id: 'attendance',
    label: 'Virtual / on-site',
    required: false,
    synonyms: ['virtual or on-site', 'virtual/onsite', 'delivery', 'in person', 'virtual'],
  },
  { id: 'location', label: 'Location', required: false, synonyms: ['location', 'city', 'venue', 'place'] },
  { id: 'latitude', label: 'Latitude', required: false, synonyms: ['lat', 'latitude'] },
  { id: 'longitude', label: 'Longitude', required: false, synonyms: ['lng', 'lon', 'long', 'longitude'] },
  { id: 'timezone', label: 'Time zone', required: false, synonyms: ['timezone', 'time zone', 'tz'] },
  {
    id: 'account_name',
    label: 'Account',
    required: false,
    synonyms: ['account', 'account name', 'customer'],
  },
  {
    id: 'account_segment',
    label: 'Account segment',
    required: false,
    synonyms: ['segment', 'account segment', 'tier'],
  },
  { id: 'champion', label: 'Champion', required: false, synonyms: ['champion', 'customer champion'] },
  {
    id: 'marketer',
    label: 'Marketer',
    required: false,
    synonyms: ['marketer', 'marketing', 'marketing owner'],
  },
  {
    id: 'event_url',
    label: 'Event page',
    required: false,
    synonyms: ['event page', 'link', 'url', 'website'],
  },
  { id: 'tracker_url', label: 'Tracker ticket', required: false, synonyms: ['tracker', 'ticket', 'jira'] },
  {
    id: 'salesforce_url',
    label: 'Salesforce link',
    required: false,
    synonyms: ['salesforce', 'sfdc', 'opp'],
  },
  {
    id: 'slack_channel',
    label: 'Slack channel',
    required: false,
    synonyms: ['slack', 'slack channel', 'channel'],
  },
  {
    id: 'tech_stack',
    label: 'Tech stack',
    required: false,
    synonyms: ['tech stack', 'stack', 'technologies'],
  },
  { id: 'travel_status', label: 'Travel status', required: false, synonyms: ['travel', 'travel status'] },
  {
    id: 'assigned_on_site',
    label: 'Advocates on-site',
    required: false,
    synonyms: ['advocates', 'onsite advocates', 'da onsite', 'staff'],
  },
  {
    id: 'assigned_remote',
    label: 'Advocates remote',
    required: false,
    synonyms: ['remote advocates', 'remote'],
  },
  {
    id: 'assigned_volunteer',
    label: 'Volunteer travel',
    required: false,
    synonyms: ['volunteer', 'volunteer travel', 'volunteers'],
  },
  {
    id: 'owner',
    label: 'Owner (e-mail)',
    required: false,
    synonyms: ['owner', 'event owner', 'dri', 'lead'],
  },
  {
    id: 'active',
    label: 'Active (capture picker)',
    required: false,
    synonyms: ['active', 'live', 'capture'],
  },
] as const satisfies readonly (TaxonomyEntry & { required: boolean; synonyms: readonly string[] })[];
export type ImportField = (typeof IMPORT_FIELDS)[number]['id'];

/** Form question types. The `insight_*` kinds map onto the insight's own fields; the rest become its text. */
export const FORM_QUESTION_TYPES = [
  { id: 'rating', label: 'Rating (1–5)' },
  { id: 'short_text', label: 'Short text' },
  { id: 'long_text', label: 'Long text' },
  { id: 'single_choice', label: 'Single choice' },
  { id: 'multi_choice', label: 'Multiple choice' },
  { id: 'insight_type', label: 'Feedback type → insight type' },
  { id: 'product_area', label: 'Product areas → insight product areas' },
  { id: 'sentiment', label: 'Overall feeling → insight sentiment' },
  { id: 'priority', label: 'Importance → insight priority' },
  { id: 'developer_role', label: 'Your role → developer role' },
  { id: 'company', label: 'Company → developer company' },
] as const satisfies readonly TaxonomyEntry[];
export type FormQuestionType = (typeof FORM_QUESTION_TYPES)[number]['id'];

export const FORM_STATUSES = [
  { id: 'draft', label: 'Draft' },
  { id: 'open', label: 'Open' },
  { id: 'closed', label: 'Closed' },
] as const satisfies readonly TaxonomyEntry[];

/** Templates the form builder starts from (the questions each creates live with the forms module). */
export const FORM_TEMPLATES = [
  { id: 'event_feedback', label: 'Event feedback' },
  { id: 'workshop', label: 'Workshop / hands-on session' },
  { id: 'feature_request', label: 'Feature request' },
  { id: 'blank', label: 'Blank form' },
] as const satisfies readonly TaxonomyEntry[];
export type FormTemplate = (typeof FORM_TEMPLATES)[number]['id'];
