import { and, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { events, insights, people } from '../../db/schema.ts';
import { searchQuery } from '../insights/insights.filter.ts';
import { type Combo, type Counts, type TermStat, THEME_RULES, type Totals } from './themes.algorithm.ts';
import type { Token } from './themes.words.ts';

/**
 * The SQL of emerging themes. Everything over a whole period is an aggregate computed by PostgreSQL from the
 * stored `search_vector` (English stems, stop words removed); texts are only read for a bounded sample (label)
 * and for the citations (five rows per theme). `where` is always reportConditions: scope, not merged, filter,
 * days.
 */

type Rows<T> = { rows: T[] };
const rows = async <T>(db: Db, query: SQL): Promise<T[]> =>
  ((await db.execute(query)) as unknown as Rows<T>).rows;

/** A tsquery of stored stems as they are (no dictionary): `'latenc' | 'vector'`. */
function stemsQuery(terms: string[]): string {
  return terms.map((t) => `'${t.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`).join(' | ');
}

const stemList = (terms: string[]) =>
  sql.join(
    terms.map((t) => sql`${t}`),
    sql`, `,
  );

/** Insights counted in each period (`current`: the condition that tells this period from the previous). */
export async function totals(db: Db, where: SQL, current: SQL): Promise<Totals> {
  const [row] = await rows<Totals>(
    db,
    sql`select count(*) filter (where ${current})::int as current, count(*) filter (where not (${current}))::int as previous
        from ${insights} where ${where}`,
  );
  return row ?? { current: 0, previous: 0 };
}

/**
 * Document frequency of every stem in both periods, from the search document (one row per stem and insight:
 * a tsvector holds each stem once). Only stems with the minimum support whose share of insights rose at all
 * leave the database (at most 2,000, most mentioned first: a bound far above a period's risers); the rest of
 * the scoring happens in themes.algorithm.ts.
 */
export async function termStats(db: Db, where: SQL, current: SQL, t: Totals): Promise<TermStat[]> {
  const cur = sql`count(*) filter (where ${current})`;
  const prev = sql`count(*) filter (where not (${current}))`;
  return rows<TermStat>(
    db,
    sql`select u.lexeme as term, ${cur}::int as current, ${prev}::int as previous,
          count(distinct ${insights.authorId}) filter (where ${current})::int as authors
        from ${insights} cross join lateral unnest(${insights.searchVector}) as u(lexeme, positions, weights)
        where ${where}
        group by u.lexeme
        having ${cur} >= ${THEME_RULES.minInsights}
          and count(distinct ${insights.authorId}) filter (where ${current}) >= ${THEME_RULES.minAuthors}
          and ${cur} * ${Math.max(t.previous, 1)}::bigint > ${prev} * ${t.current}::bigint
        order by 2 desc, 1
        limit 2000`,
  );
}

/**
 * For the candidate stems: which of them each insight mentions, counted per distinct combination and period
 * (aggregate: one row per combination, not per insight).
 */
export async function termCombos(db: Db, where: SQL, current: SQL, terms: string[]): Promise<Combo[]> {
  if (terms.length === 0) return [];
  return rows<Combo>(
    db,
    sql`select terms, count(*) filter (where is_current)::int as current, count(*) filter (where not is_current)::int as previous
        from (
          select array(select u.lexeme from unnest(${insights.searchVector}) u where u.lexeme in (${stemList(terms)}) order by 1) as terms,
            ${current} as is_current
          from ${insights}
          where ${where} and ${insights.searchVector} @@ ${stemsQuery(terms)}::tsquery
        ) d
        group by terms
        order by 2 desc, 3 desc`,
  );
}

/**
 * The label sample: the newest sampleInsights insights of this period mentioning the theme's stems, parsed by
 * PostgreSQL's own parser (ts_debug, the parser behind search_vector, so stems line up exactly), keeping only
 * tokens within sampleWindow of a hit. Title, the first sampleChars of the text, and tags, one line each.
 */
export async function sampleTokens(db: Db, whereCurrent: SQL, terms: string[]): Promise<Token[][]> {
  const found = await rows<Token & { id: string }>(
    db,
    sql`with s as (
          select ${insights.id} as id,
            coalesce(${insights.title}, '') || E'\\n' || left(${insights.text}, ${THEME_RULES.sampleChars}::int)
              || E'\\n' || array_to_string(${insights.tags}, ', ') as doc
          from ${insights}
          where ${whereCurrent} and ${insights.searchVector} @@ ${stemsQuery(terms)}::tsquery
          order by ${insights.capturedAt} desc, ${insights.id} desc
          limit ${THEME_RULES.sampleInsights}
        ), t as (
          select s.id, x.ord::int as ord, x.alias, x.token, x.lexemes
          from s cross join lateral ts_debug('english', s.doc)
            with ordinality as x(alias, description, token, dictionaries, dictionary, lexemes, ord)
        ), h as (
          select id, ord from t where t.lexemes && array[${stemList(terms)}]::text[]
        )
        select distinct t.id, t.ord, t.alias, t.token, t.lexemes
        from t join h on h.id = t.id and t.ord between h.ord - ${THEME_RULES.sampleWindow}::int and h.ord + ${THEME_RULES.sampleWindow}::int
        order by t.id, t.ord`,
  );
  const byDoc = new Map<string, Token[]>();
  for (const { id, ...token } of found) byDoc.set(id, [...(byDoc.get(id) ?? []), token]);
  return [...byDoc.values()];
}

/** A theme's exact counts: `where` already holds its query (reportConditions with q), both periods. */
export async function themeCounts(db: Db, where: SQL, current: SQL): Promise<Counts> {
  const [row] = await rows<Counts>(
    db,
    sql`select count(*) filter (where ${current})::int as current,
          count(*) filter (where not (${current}))::int as previous,
          count(distinct ${insights.authorId}) filter (where ${current})::int as authors
        from ${insights} where ${where}`,
  );
  return row ?? { current: 0, previous: 0, authors: 0 };
}

export interface CitationRow {
  id: string;
  authorId: string;
  authorName: string;
  eventId: string | null;
  eventName: string | null;
  capturedAt: string;
  headline: string;
}

/** ts_headline marks matches with control characters (never HTML); the service splits them into segments. */
const QUOTE_OPTIONS = 'StartSel=\u0002, StopSel=\u0003, MaxWords=30, MinWords=12, MaxFragments=1';

/**
 * The citations of a theme: its most relevant insights of this period (ts_rank_cd of its query, then newest),
 * the passage around the match computed for those rows only. Stored texts lose the two sentinel characters
 * first, so a text can never fake a highlight.
 */
export async function citations(db: Db, whereCurrent: SQL, q: string, limit: number): Promise<CitationRow[]> {
  const query = searchQuery(q);
  return rows<CitationRow>(
    db,
    sql`select c.id, c.author_id as "authorId", ${people.displayName} as "authorName", c.event_id as "eventId",
          ${events.name} as "eventName", to_json(c.captured_at) #>> '{}' as "capturedAt",
          ts_headline('english', translate(c.text, chr(2) || chr(3), ''), ${query}, ${QUOTE_OPTIONS}) as headline
        from (
          select ${insights.id} as id, ${insights.authorId} as author_id, ${insights.eventId} as event_id,
            ${insights.capturedAt} as captured_at, ${insights.text} as text,
            ts_rank_cd(${insights.searchVector}, ${query}) as rank
          from ${insights} where ${and(whereCurrent)}
          order by rank desc, ${insights.capturedAt} desc, ${insights.id} desc
          limit ${limit}::int
        ) c
        join ${people} on ${people.id} = c.author_id
        left join ${events} on ${events.id} = c.event_id
        order by c.rank desc, c.captured_at desc, c.id desc`,
  );
}
