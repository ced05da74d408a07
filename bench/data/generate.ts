import { eq, sql } from 'drizzle-orm';
import { TAXONOMY_VERSION } from '../../src/contract/taxonomy.ts';
import type { Database, Db } from '../../src/server/db/client.ts';
import { queryRows } from '../../src/server/db/client.ts';
import { people } from '../../src/server/db/schema.ts';
import {
  CITIES,
  COMPANIES,
  CONTEXTS,
  DETAILS,
  DEVELOPER_ROLES,
  EVENT_KINDS,
  FIRST_NAMES,
  LAST_NAMES,
  PROBLEMS,
  RARE_CLAUSES,
  SESSION_TITLES,
  SUBJECTS,
  TAGS,
  TITLES,
} from './vocabulary.ts';

/**
 * Benchmark data at realistic volumes, written with set-based SQL (INSERT … SELECT FROM generate_series) into
 * the real tables, valid against every constraint and the API's response schemas:
 *
 * - people (generatePeople): a director, 15 first-line managers, managers of managers, everyone in Builder
 *   Relations with team groups; one manager (Maya Patel, a dev-IdP identity) has exactly `treeSize` people
 *   under her, over three levels. The dev-IdP identities are provisioned (issuer null) so their first sign-in
 *   links to the generated record (and its org facts: manager chain, Builder Relations).
 * - events spread over the last two years (+ a few weeks ahead), two sessions on 40 % of them.
 * - insights over the last two years, authors across all people (skewed: some capture far more), 60 % at the
 *   event running around that day, realistic varied text (vocabulary.ts) with terms of known frequency.
 *
 * PostgreSQL: the insights' secondary indexes are dropped during the load and rebuilt from their own
 * definitions (pg_indexes) afterwards, the load runs on two connections, then VACUUM ANALYZE — 1 M rows in well
 * under a minute. PGlite does the same on its single connection (slower: scale it down).
 */

export interface VolumeSizes {
  people: number;
  events: number;
  insights: number;
}

export const FULL_SIZES: VolumeSizes = { people: 2_000, events: 5_000, insights: 1_000_000 };
/** PGlite (single-threaded WebAssembly) at full size takes many minutes: a tenth of the insights. */
export const PGLITE_FULL_SIZES: VolumeSizes = { people: 2_000, events: 5_000, insights: 100_000 };
export const SMOKE_SIZES: VolumeSizes = { people: 2_000, events: 200, insights: 5_000 };

/** The sizes for a run: full on PostgreSQL, scaled down on PGlite, small with --smoke. */
export function sizesFor(context: { smoke: boolean; database: 'postgres' | 'pglite' }): VolumeSizes {
  if (context.smoke) return SMOKE_SIZES;
  return context.database === 'postgres' ? FULL_SIZES : PGLITE_FULL_SIZES;
}

/** Days of history the data covers (insights and events). */
export const HISTORY_DAYS = 730;

/** Generated person n: a stable RFC 4122 v4-shaped id, so SQL and callers can name people without a lookup. */
export function benchPersonId(n: number): string {
  return `b1000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
const eventIdSql = (n: string) => `('e1000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const sessionIdSql = (n: string) => `('5e510000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

/** Dev-IdP identities the generated org includes (test/helpers/stack.ts signs them in by first name). */
export const BENCH_IDENTITIES = {
  director: { email: 'dana.okafor@example.com', name: 'Dana Okafor', employeeNumber: 'E1001', team: null },
  /** The manager of the big reporting tree (treeSize people under her). */
  bigManager: { email: 'maya.patel@example.com', name: 'Maya Patel', employeeNumber: 'E1002', team: 'amer' },
  secondManager: {
    email: 'erik.lindqvist@example.com',
    name: 'Erik Lindqvist',
    employeeNumber: 'E1007',
    team: 'emea',
  },
} as const;

export interface GeneratedPeople {
  /** Every person of the generated org (the three dev-IdP identities included), parents before reports. */
  ids: string[];
  directorId: string;
  /** The 15 first-line managers under the director: Maya Patel first, Erik Lindqvist second. */
  managerIds: string[];
  /** Everyone with reports below the first line (managers of managers' teams and their sub-leads). */
  leadIds: string[];
  /** Maya Patel. */
  bigManagerId: string;
  /** Everyone below Maya Patel (treeSize people, herself excluded). */
  bigTreeIds: string[];
}

interface PersonSpec {
  id: string;
  email: string;
  displayName: string;
  title: string;
  team: string | null;
  managerId: string | null;
  employeeNumber: string;
  manager: boolean;
  leadership?: boolean;
}

const FIRST_LINE_TEAMS = [
  'amer',
  'emea',
  'apac',
  'latam',
  'anz',
  'india',
  'dach',
  'nordics',
  'uki',
  'france',
  'benelux',
  'iberia',
  'japan',
  'korea',
  'brazil',
];

/**
 * The org chart as data (no database): Dana Okafor (director) → 15 first-line managers (Maya Patel, Erik
 * Lindqvist, 13 generated) → teams. Maya: 4 leads, each with 2 sub-leads, `treeSize` people under her in all.
 * The rest is shared by the other 14 managers; every other one of them has 2 leads. Generated people are
 * bench.pNNNN@example.com, employee numbers BENCH-NNNN, ids benchPersonId(n).
 */
export function orgChart(total: number, treeSize = 300): PersonSpec[] {
  const firstLine = FIRST_LINE_TEAMS.length;
  if (total < 1 + firstLine + treeSize + 14 * 5)
    throw new Error(`an org of ${total} is too small for a tree of ${treeSize}`);
  const specs: PersonSpec[] = [];
  let n = 0;
  const add = (spec: Omit<PersonSpec, 'id' | 'email' | 'displayName' | 'employeeNumber'>) => {
    const first = FIRST_NAMES[n % FIRST_NAMES.length] ?? 'Alex';
    const last = LAST_NAMES[Math.floor(n / FIRST_NAMES.length) % LAST_NAMES.length] ?? 'Smith';
    const number = String(n).padStart(4, '0');
    const person: PersonSpec = {
      id: benchPersonId(n),
      email: `bench.p${number}@example.com`,
      displayName: `${first} ${last}`,
      employeeNumber: `BENCH-${number}`,
      ...spec,
    };
    n += 1;
    specs.push(person);
    return person;
  };
  const ics = (managerId: string, team: string, count: number) => {
    for (let i = 0; i < count; i += 1)
      add({
        title: i % 4 === 0 ? 'Senior Developer Advocate' : 'Developer Advocate',
        team,
        managerId,
        manager: false,
      });
  };
  /** `size` people under `manager`: `leads` leads (each with `subLeads` sub-leads) and direct reports. */
  const grow = (manager: PersonSpec, team: string, size: number, leads: number, subLeads: number) => {
    const perLead = leads > 0 ? Math.floor(((size - leads) * 0.85) / leads) : 0;
    for (let k = 0; k < leads; k += 1) {
      const leadTeam = `${team}-${k + 1}`;
      const lead = add({
        title: 'Lead, Builder Relations',
        team: leadTeam,
        managerId: manager.id,
        manager: true,
      });
      grow(lead, leadTeam, perLead, subLeads, 0);
    }
    ics(manager.id, team, size - leads - leads * perLead);
  };

  const director = add({
    title: 'Director, Builder Relations',
    team: null,
    managerId: null,
    manager: true,
    leadership: true,
  });
  const managers = FIRST_LINE_TEAMS.map((team) =>
    add({
      title: `Manager, Builder Relations ${team.toUpperCase()}`,
      team,
      managerId: director.id,
      manager: true,
    }),
  );
  const rest = total - 1 - firstLine - treeSize;
  for (const [i, manager] of managers.entries()) {
    if (i === 0) {
      grow(manager, manager.team ?? 'amer', treeSize, 4, 2);
      continue;
    }
    const share = Math.floor(rest / (firstLine - 1)) + (i === firstLine - 1 ? rest % (firstLine - 1) : 0);
    grow(manager, manager.team ?? 'team', share, i % 2 === 0 ? 2 : 0, 0);
  }
  return specs;
}

const chunks = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/**
 * The org into `people` (see orgChart). Dana Okafor, Maya Patel and Erik Lindqvist are written as provisioned
 * people (issuer null) with their dev-IdP e-mail and employee number, so `stack.signIn('Maya')` links to the
 * record and gets the manager role with Maya's reporting tree (rule: Builder Relations with direct reports).
 * When one of them already has a record (signed in before), that record takes the place instead (sign in again
 * afterwards: a session's scope is computed at sign-in).
 */
export async function generatePeople(
  db: Db,
  options: { people?: number; treeSize?: number } = {},
): Promise<GeneratedPeople> {
  const specs = orgChart(options.people ?? FULL_SIZES.people, options.treeSize ?? 300);
  const demo = [BENCH_IDENTITIES.director, BENCH_IDENTITIES.bigManager, BENCH_IDENTITIES.secondManager];
  // Generated positions 0, 1, 2 (director, first two managers) are the dev-IdP identities.
  const replace = new Map<string, string>();
  for (const [i, identity] of demo.entries()) {
    const spec = specs[i];
    if (!spec) throw new Error('org chart too small');
    const [existing] = await db
      .select({ id: people.id })
      .from(people)
      .where(sql`lower(${people.email}) = ${identity.email}`);
    if (existing) replace.set(spec.id, existing.id);
    Object.assign(spec, {
      email: identity.email,
      displayName: identity.name,
      employeeNumber: identity.employeeNumber,
      team: identity.team,
    });
  }
  const idOf = (id: string | null) => (id === null ? null : (replace.get(id) ?? id));
  const now = new Date();
  const rows = specs.map((spec) => ({
    id: idOf(spec.id) ?? spec.id,
    email: spec.email,
    displayName: spec.displayName,
    team: spec.team,
    groups: [
      'builder-relations',
      ...(spec.team ? [`br-team-${spec.team}`] : []),
      ...(spec.manager ? ['bi-managers'] : []),
      ...(spec.leadership ? ['br-leadership'] : []),
    ],
    employeeNumber: spec.employeeNumber,
    status: 'active' as const,
    department: 'Builder Relations',
    title: spec.title,
    managerId: idOf(spec.managerId),
    builderRelations: true,
    orgSource: 'hr' as const,
    createdAt: now,
    updatedAt: now,
  }));
  const existing = new Set(replace.values());
  for (const batch of chunks(
    rows.filter((row) => !existing.has(row.id)),
    400,
  ))
    await db.insert(people).values(batch);
  for (const row of rows.filter((r) => existing.has(r.id))) {
    const { id, email: _email, createdAt: _created, employeeNumber: _number, ...org } = row;
    await db.update(people).set(org).where(eq(people.id, id));
  }
  const ids = rows.map((row) => row.id);
  const director = ids[0] as string;
  const managerIds = ids.slice(1, 1 + FIRST_LINE_TEAMS.length);
  const bigManagerId = managerIds[0] as string;
  const below = new Set([bigManagerId]);
  const bigTreeIds: string[] = [];
  for (const row of rows)
    if (row.managerId && below.has(row.managerId)) {
      below.add(row.id);
      bigTreeIds.push(row.id);
    }
  const leadIds = rows
    .filter((_row, i) => i > FIRST_LINE_TEAMS.length && specs[i]?.manager)
    .map((row) => row.id);
  return { ids, directorId: director, managerIds, leadIds, bigManagerId, bigTreeIds };
}

/** A SQL text[] literal. */
const textArray = (list: readonly string[]) =>
  `array[${list.map((item) => `'${item.replaceAll("'", "''")}'`).join(', ')}]::text[]`;
const numArray = (list: readonly number[]) => `array[${list.join(', ')}]::float8[]`;
/** A uuid[] constant: fixed-size elements, so subscripting it is O(1) per row (a text[] is walked). */
const uuidArray = (list: readonly string[]) => `'{${list.join(',')}}'::uuid[]`;
/** An element of a SQL array literal chosen by a uniform random column in [0, 1). */
const pick = (array: string, length: number, random: string) =>
  `(${array})[1 + floor(${random} * ${length})::int]`;
/** A value by weight, from a uniform random column in [0, 1). */
function weighted(random: string, choices: readonly [string, number][]): string {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let acc = 0;
  const arms = choices.slice(0, -1).map(([value, w]) => {
    acc += w / total;
    return `when ${random} < ${acc.toFixed(6)} then '${value}'`;
  });
  return `case ${arms.join(' ')} else '${choices[choices.length - 1]?.[0]}' end`;
}

async function run(db: Db, text: string): Promise<void> {
  await db.execute(sql.raw(text));
}

/** Events (and their sessions): event n starts about n × HISTORY_DAYS / count days into the window. */
export async function generateEvents(db: Db, count: number, ownerIds: readonly string[]): Promise<void> {
  const kinds = EVENT_KINDS;
  const span = HISTORY_DAYS + 30;
  await run(
    db,
    `insert into events (id, name, event_type, region, location, starts_on, ends_on, is_active, quarter, status,
       attendance, latitude, longitude, timezone, owner_id, created_at, updated_at)
     select ${eventIdSql('e.n')},
       kind_label || ' ' || city || ' ' || lpad(e.n::text, 5, '0'),
       kind_type, region, city, starts, starts + kind_days,
       starts <= current_date and starts + kind_days >= current_date,
       to_char(starts, 'YYYY') || '-Q' || to_char(starts, 'Q'),
       case when starts + kind_days < current_date then (case when e.n % 20 = 0 then 'cancelled' else 'completed' end)
            when e.n % 3 = 0 then 'planning' else 'confirmed' end,
       case when kind_type in ('virtual_primer', 'workshop_webinar') then 'virtual'
            when e.n % 7 = 0 then 'hybrid' else 'on_site' end,
       lat, lon, tz,
       (${uuidArray(ownerIds)})[1 + (e.n * 7) % ${ownerIds.length}],
       now(), now()
     from (
       select g.n,
         (current_date - ${HISTORY_DAYS} + floor(g.n::float8 * ${span} / ${count})::int) as starts,
         (${textArray(kinds.map((k) => k.label))})[1 + g.n % ${kinds.length}] as kind_label,
         (${textArray(kinds.map((k) => k.type))})[1 + g.n % ${kinds.length}] as kind_type,
         (array[${kinds.map((k) => k.days).join(', ')}])[1 + g.n % ${kinds.length}] as kind_days,
         (${textArray(CITIES.map((c) => c.name))})[1 + (g.n * 5) % ${CITIES.length}] as city,
         (${textArray(CITIES.map((c) => c.region))})[1 + (g.n * 5) % ${CITIES.length}] as region,
         (${numArray(CITIES.map((c) => c.lat))})[1 + (g.n * 5) % ${CITIES.length}] as lat,
         (${numArray(CITIES.map((c) => c.lon))})[1 + (g.n * 5) % ${CITIES.length}] as lon,
         (${textArray(CITIES.map((c) => c.tz))})[1 + (g.n * 5) % ${CITIES.length}] as tz
       from generate_series(0, ${count - 1}) g(n)
     ) e`,
  );
  await run(
    db,
    `insert into event_sessions (id, event_id, title, speaker, room, starts_at, ends_at, audience_size,
       common_questions, created_at, updated_at)
     select ${sessionIdSql('g.n * 2 + k')}, ${eventIdSql('g.n')},
       (${textArray(SESSION_TITLES)})[1 + (g.n + k) % ${SESSION_TITLES.length}],
       'Speaker ' || (g.n % 97), case when k = 0 then 'Main stage' else 'Room B' end,
       e.starts_on + make_interval(hours => 9 + 3 * k), e.starts_on + make_interval(hours => 10 + 3 * k),
       20 + (g.n * 13 + k * 7) % 300,
       case when g.n % 3 = 0 then 'How does this compare with the previous version?' end,
       now(), now()
     from generate_series(0, ${count - 1}) g(n)
     cross join generate_series(0, 1) k
     join events e on e.id = ${eventIdSql('g.n')}
     where g.n % 5 < 2`,
  );
}

/**
 * The INSERT … SELECT for insights numbered [from, to]: each row draws its own uniform random numbers (in a
 * subquery kept apart by OFFSET 0, so every use of a draw sees the same value) and picks words and values from
 * them. Authors: skewed over `authorIds` (power 1.6: the first ids capture most). Captured over the last
 * HISTORY_DAYS days in the order they are numbered (± half a day), so the table is stored roughly in capture
 * order, as rows arriving over two years would be; 60 % at the event that started around that day (half of
 * those in one of its sessions).
 */
function insightsInsert(
  from: number,
  to: number,
  total: number,
  eventCount: number,
  authorIds: readonly string[],
): string {
  const rare = RARE_CLAUSES.reduce<{ sql: string[]; acc: number }>(
    (state, { clause, p }) => {
      const acc = state.acc + p;
      state.sql.push(`when r_rare < ${acc} then ' ${clause.replaceAll("'", "''")}'`);
      return { sql: state.sql, acc };
    },
    { sql: [], acc: 0 },
  ).sql;
  const areas = [
    'atlas',
    'atlas_search',
    'atlas_vector_search',
    'stream_processing',
    'data_federation',
    'charts',
    'compass',
    'drivers',
    'server',
    'aggregation',
    'triggers_functions',
    'queryable_encryption',
    'data_modeling',
    'voyage_ai',
  ];
  const evMax = eventCount - 1;
  // The event running about `days_ago` days ago (events are spread evenly, newest last), ± 3 events.
  const eventNumber = `least(${evMax}, greatest(0, ${evMax} - floor(days_ago * ${eventCount} / ${HISTORY_DAYS + 30})::int
    - floor(${eventCount} * 30.0 / ${HISTORY_DAYS + 30})::int + floor(r_ev2 * 7)::int - 3))`;
  return `
    insert into insights (id, author_id, text, title, type, product_areas, sentiment, priority, tags, developer,
      follow_up, follow_up_status, event_id, session_id, source, taxonomy_version, captured_at, created_at,
      updated_at)
    select gen_random_uuid(),
      (${uuidArray(authorIds)})[1 + floor(power(r_author, 1.6) * ${authorIds.length})::int],
      ${pick(textArray(SUBJECTS), SUBJECTS.length, 'r_subject')} || ' ' ||
        ${pick(textArray(PROBLEMS), PROBLEMS.length, 'r_problem')} || ' ' ||
        ${pick(textArray(CONTEXTS), CONTEXTS.length, 'r_context')} || '. ' ||
        ${pick(textArray(DETAILS), DETAILS.length, 'r_detail')} ||
        case when r_detail2 < 0.5 then ' ' || ${pick(textArray(DETAILS), DETAILS.length, 'r_detail2 * 2')} else '' end ||
        case when r_company < 0.3 then ' Seen at ' || ${pick(textArray(COMPANIES), COMPANIES.length, 'r_company / 0.3')} || '.' else '' end ||
        case ${rare.join(' ')} else '' end,
      case when r_title < 0.4 then ${pick(textArray(TITLES), TITLES.length, 'r_title / 0.4')} end,
      ${weighted('r_type', [
        ['pain_point', 25],
        ['feature_request', 22],
        ['bug_report', 12],
        ['praise', 10],
        ['question', 12],
        ['use_case', 8],
        ['competitive_mention', 5],
        ['documentation', 5],
        ['other', 1],
      ])},
      case when r_area2 < 0.35
        then array[${pick(textArray(areas), areas.length, 'r_area')},
                   (${textArray(areas)})[1 + (floor(r_area * ${areas.length})::int + 1 + floor(r_area2 / 0.35 * ${areas.length - 1})::int) % ${areas.length}]]
        else array[${pick(textArray(areas), areas.length, 'r_area')}] end,
      ${weighted('r_sentiment', [
        ['negative', 35],
        ['neutral', 40],
        ['positive', 25],
      ])},
      ${weighted('r_priority', [
        ['low', 30],
        ['medium', 40],
        ['high', 22],
        ['critical', 8],
      ])},
      case when r_tags < 0.5 then '{}'::text[]
           when r_tags < 0.85 then array[${pick(textArray(TAGS), TAGS.length, 'r_tag')}]
           else array[${pick(textArray(TAGS), TAGS.length, 'r_tag')},
                      (${textArray(TAGS)})[1 + (floor(r_tag * ${TAGS.length})::int + 1 + floor(r_tags * 7)::int) % ${TAGS.length}]] end,
      case when r_company < 0.3 then jsonb_build_object(
        'role', ${pick(textArray(DEVELOPER_ROLES), DEVELOPER_ROLES.length, 'r_role')},
        'company', ${pick(textArray(COMPANIES), COMPANIES.length, 'r_company / 0.3')}) end,
      r_follow < 0.065,
      case when r_follow < 0.03 then 'open' when r_follow < 0.045 then 'in_progress'
           when r_follow < 0.06 then 'done' when r_follow < 0.065 then 'wont_do' end,
      case when r_ev < 0.6 then ${eventIdSql(eventNumber)} end,
      case when r_ev < 0.3 and (${eventNumber}) % 5 < 2
        then ${sessionIdSql(`(${eventNumber}) * 2 + (case when r_ev < 0.15 then 0 else 1 end)`)} end,
      ${weighted('r_source', [
        ['capture', 88],
        ['voice', 7],
        ['form', 5],
      ])},
      '${TAXONOMY_VERSION}',
      now() - days_ago * interval '1 day',
      now() - days_ago * interval '1 day',
      now() - days_ago * interval '1 day'
    from (
      select g.i, greatest(0, (${total} - g.i)::float8 * ${HISTORY_DAYS} / ${total} + random() - 0.5) as days_ago, random() as r_author, random() as r_subject,
        random() as r_problem, random() as r_context, random() as r_detail, random() as r_detail2,
        random() as r_company, random() as r_rare, random() as r_title, random() as r_type, random() as r_area,
        random() as r_area2, random() as r_sentiment, random() as r_priority, random() as r_tags,
        random() as r_tag, random() as r_role, random() as r_follow, random() as r_ev, random() as r_ev2,
        random() as r_source
      from generate_series(${from}, ${to}) g(i)
      offset 0
    ) r`;
}

export interface GeneratedVolume {
  people: GeneratedPeople;
  sizes: VolumeSizes;
  /** Wall-clock milliseconds per step (people, events, insights load, index rebuild, vacuum analyze). */
  timings: Record<string, number>;
}

/** Runs `work` on `lanes` connections at once (PostgreSQL), or one after the other (PGlite). */
async function inLanes<T>(
  database: Database,
  lanes: readonly T[][],
  work: (db: Db, item: T) => Promise<void>,
): Promise<void> {
  const setUp = async (db: Db) => {
    await run(db, `set synchronous_commit = off`);
    await run(db, `set maintenance_work_mem = '1GB'`);
  };
  if (database.kind === 'pglite') {
    for (const lane of lanes) for (const item of lane) await work(database.db, item);
    return;
  }
  await Promise.all(
    lanes.map((lane) =>
      database.withConnection(async (db) => {
        await setUp(db);
        try {
          for (const item of lane) await work(db, item);
        } finally {
          await run(db, 'reset synchronous_commit');
          await run(db, 'reset maintenance_work_mem');
        }
      }),
    ),
  );
}

/** A deterministic shuffle (mulberry32, fixed seed): the same order on every run. */
function shuffled<T>(list: readonly T[]): T[] {
  let seed = 0x5eed;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Two lanes of roughly equal cost, the costliest items first (greedy). */
function balance<T>(items: readonly T[], cost: (item: T) => number, lanes = 2): T[][] {
  const out: T[][] = Array.from({ length: lanes }, () => []);
  const load = out.map(() => 0);
  for (const item of [...items].sort((a, b) => cost(b) - cost(a))) {
    const lane = load.indexOf(Math.min(...load));
    out[lane]?.push(item);
    load[lane] = (load[lane] ?? 0) + cost(item);
  }
  return out;
}

/**
 * The whole data set: people (generatePeople), events and insights. `database` is the stack's database
 * (`stack.db.database`), a fresh one: insights are bulk-loaded with their secondary indexes dropped and rebuilt.
 */
export async function generateVolume(
  database: Database,
  sizes: VolumeSizes,
  log: (line: string) => void = () => {},
): Promise<GeneratedVolume> {
  const db = database.db;
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    timings[name] = Math.round(performance.now() - start);
    return result;
  };
  const org = await step('people', () => generatePeople(db, { people: sizes.people }));
  await step('events', () => generateEvents(db, sizes.events, [...org.managerIds, ...org.leadIds]));

  const indexes = await queryRows<{ name: string; definition: string }>(
    db,
    sql`select indexname as name, indexdef as definition from pg_indexes
        where schemaname = current_schema() and tablename = 'insights' and indexname <> 'insights_pkey'`,
  );
  await step('drop indexes', async () => {
    for (const index of indexes) await run(db, `drop index if exists "${index.name}"`);
  });
  // Authors in a fixed pseudo-random order (not the org chart's), so the prolific few are anywhere in the org.
  const authors = shuffled(org.ids);
  const parts = database.kind === 'postgres' ? 8 : Math.max(1, Math.ceil(sizes.insights / 50_000));
  const ranges = Array.from({ length: parts }, (_, p) => {
    const from = Math.floor((p * sizes.insights) / parts) + 1;
    const to = Math.floor(((p + 1) * sizes.insights) / parts);
    return [from, to] as const;
  }).filter(([from, to]) => to >= from);
  await step('insights', () =>
    inLanes(
      database,
      balance(ranges, ([from, to]) => to - from),
      (lane, [from, to]) => run(lane, insightsInsert(from, to, sizes.insights, sizes.events, authors)),
    ),
  );
  // The trigram and full-text GIN indexes cost the most to build; balance them across the two lanes.
  const cost = (definition: string) =>
    definition.includes('gin_trgm_ops')
      ? 10
      : definition.includes('search_vector')
        ? 6
        : /gin/i.test(definition)
          ? 2
          : 1;
  await step('rebuild indexes', () =>
    inLanes(
      database,
      balance(indexes, (index) => cost(index.definition)),
      (lane, index) => run(lane, index.definition),
    ),
  );
  await step('vacuum analyze', async () => {
    for (const table of ['people', 'events', 'event_sessions', 'insights'])
      await run(db, `vacuum analyze ${table}`);
  });
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from insights`);
  log(
    `generated ${sizes.people} people, ${sizes.events} events, ${Number(count?.n ?? 0)} insights in ` +
      Object.entries(timings)
        .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
        .join(', '),
  );
  return { people: org, sizes, timings };
}
