import { eq, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  OrgPeoplePage,
  OrgPeopleQuery,
  OrgPersonDetail,
  OrgPersonRow,
} from '../../../contract/api/directory.ts';
import { describeScope } from '../../../contract/roles.ts';
import type { Db } from '../../db/client.ts';
import { people } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { evaluateWith, loadBatchFacts, loadRules, type Rules } from '../access/entitlements.batch.ts';
import type { EvaluatedAccess } from '../access/entitlements.engine.ts';
import type { Actor } from '../identity/actor.ts';
import { conflictsOf, type ManagerResolver } from './conflicts.ts';
import { authorizeDirectory, peopleReadScope } from './directory.policy.ts';
import * as repo from './directory.repo.ts';
import { directReports, managerChain } from './hierarchy.service.ts';
import { resolveManagerRef } from './org.core.ts';

/**
 * People with their effective access and its provenance, computed by the entitlement engine in batches: the
 * rule set and claims model are loaded once per request, and direct-report counts and exceptions once per
 * batch — never a query per person.
 */
export interface PeopleDeps {
  db: Db;
  now: () => Date;
}

interface Evaluation {
  access: Map<string, EvaluatedAccess | null>;
  exceptions: Set<string>;
}

async function evaluateBatch(
  db: Db,
  batch: repo.PersonRecord[],
  rules: Rules,
  now: Date,
): Promise<Evaluation> {
  const facts = await loadBatchFacts(
    db,
    batch.map((p) => p.id),
    now,
  );
  const access = new Map<string, EvaluatedAccess | null>();
  for (const p of batch) access.set(p.id, evaluateWith(p, facts, rules, rules.spec, now));
  return { access, exceptions: new Set(facts.exceptions.keys()) };
}

function scopeLabelOf(access: EvaluatedAccess | null, nameOf: (id: string) => string | undefined): string {
  if (!access) return 'No access';
  return describeScope(access.scope, nameOf).replace(/^Your own insights/, 'Own insights');
}

function rowOf(
  p: repo.PersonRecord,
  access: EvaluatedAccess | null,
  hasException: boolean,
  nameOf: (id: string) => string | undefined,
): OrgPersonRow {
  return {
    id: p.id,
    name: p.displayName,
    email: p.email,
    employeeNumber: p.employeeNumber,
    status: p.status,
    department: p.department,
    title: p.title,
    team: p.team,
    manager: p.managerId ? { id: p.managerId, name: p.managerName ?? 'Unknown' } : null,
    builderRelations: p.builderRelations,
    orgSource: p.orgSource,
    role: access?.role ?? null,
    scope: access?.scope ?? null,
    scopeLabel: scopeLabelOf(access, nameOf),
    entitlements: access?.entitlements ?? [],
    hasException,
    lastSignInAt: p.lastSignInAt?.toISOString() ?? null,
  };
}

function treeIds(accesses: Iterable<EvaluatedAccess | null>): string[] {
  const ids: string[] = [];
  for (const a of accesses) if (a?.scope.kind === 'limited') ids.push(...a.scope.trees);
  return ids;
}

function filters(query: z.output<typeof OrgPeopleQuery>, now: Date): SQL[] {
  const where: SQL[] = [];
  if (query.q) {
    const q = query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(sql`(lower(${people.displayName}) like ${`${q}%`} or lower(${people.displayName}) like ${`% ${q}%`}
      or lower(${people.email}) like ${`${q}%`})`);
  }
  if (query.status) where.push(eq(people.status, query.status));
  if (query.source === 'none') where.push(sql`${people.orgSource} is null`);
  else if (query.source) where.push(eq(people.orgSource, query.source));
  if (query.department) where.push(sql`lower(${people.department}) = lower(${query.department})`);
  if (query.hasException === true) where.push(repo.hasActiveException(now));
  if (query.hasException === false) where.push(sql`not ${repo.hasActiveException(now)}`);
  return where;
}

/**
 * One page of people in the actor's scope. Filtering on the effective role means evaluating people in name
 * order until the page is full: the scan is bounded by the org, and the cursor resumes after the last row
 * returned, so nothing is silently skipped.
 */
export async function listPeople(
  deps: PeopleDeps,
  actor: Actor,
  query: z.output<typeof OrgPeopleQuery>,
): Promise<OrgPeoplePage> {
  authorizeDirectory(actor, 'read_people');
  const now = deps.now();
  const rules = await loadRules(deps.db);
  const where = [peopleReadScope(actor), ...filters(query, now)];
  const batchSize = query.role ? Math.max(200, query.limit * 4) : query.limit + 1;
  const picked: { p: repo.PersonRecord; access: EvaluatedAccess | null; hasException: boolean }[] = [];
  let after = query.cursor ? repo.decodeNameCursor(query.cursor) : null;
  while (picked.length <= query.limit) {
    const batch = await repo.selectPeople(deps.db, [...where, ...repo.afterCursor(after)], batchSize);
    if (batch.length === 0) break;
    const evaluated = await evaluateBatch(deps.db, batch, rules, now);
    for (const p of batch) {
      const access = evaluated.access.get(p.id) ?? null;
      if (query.role && (access?.role ?? 'none') !== query.role) continue;
      picked.push({ p, access, hasException: evaluated.exceptions.has(p.id) });
      if (picked.length > query.limit) break;
    }
    const last = batch.at(-1);
    if (batch.length < batchSize || !last) break;
    after = { key: last.sortKey, id: last.id };
  }
  const page = picked.slice(0, query.limit);
  const names = await repo.namesById(deps.db, treeIds(page.map((x) => x.access)));
  const nameOf = (id: string) => names.get(id);
  const last = page.at(-1);
  return {
    items: page.map((x) => rowOf(x.p, x.access, x.hasException, nameOf)),
    nextCursor: picked.length > query.limit && last ? repo.encodeNameCursor(last.p.sortKey, last.p.id) : null,
    ruleSetVersion: rules.version,
  };
}

/** Resolve just the manager references this person's source records carry (a query or two). */
async function resolverFor(
  db: Db,
  records: Record<string, Record<string, unknown>>,
): Promise<ManagerResolver> {
  const refs = new Set<string>();
  for (const r of Object.values(records)) {
    const m = r?.manager;
    const ref = m && typeof m === 'object' ? (m as { value?: unknown }).value : m;
    if (typeof ref === 'string' && ref.trim()) refs.add(ref.trim());
  }
  const ids = new Map<string, string>();
  for (const ref of refs) {
    const id = await resolveManagerRef(db, ref);
    if (id) ids.set(ref, id);
  }
  const labels = await repo.labelsById(db, [...ids.values()]);
  return (ref) => {
    const id = ids.get(ref.trim());
    return id ? { id, label: labels.get(id) ?? id } : null;
  };
}

/** One person in the actor's scope (else 404): access, manager chain, direct reports, sources, conflicts. */
export async function getPerson(deps: PeopleDeps, actor: Actor, id: string): Promise<OrgPersonDetail> {
  authorizeDirectory(actor, 'read_people');
  const now = deps.now();
  const [p] = await repo.selectPeople(deps.db, [peopleReadScope(actor), eq(people.id, id)], 1);
  if (!p) throw new NotFoundError('person');
  const rules = await loadRules(deps.db);
  const evaluated = await evaluateBatch(deps.db, [p], rules, now);
  const access = evaluated.access.get(p.id) ?? null;
  const names = await repo.namesById(deps.db, treeIds([access]));
  const resolve = await resolverFor(deps.db, p.sourceRecords);
  const managerLabel = p.managerId
    ? p.managerNumber
      ? `${p.managerName} (${p.managerNumber})`
      : (p.managerName ?? null)
    : null;
  return {
    ...rowOf(p, access, evaluated.exceptions.has(p.id), (tree) => names.get(tree)),
    chain: await managerChain(deps.db, p.id),
    directReports: await directReports(deps.db, p.id),
    sourceRecords: p.sourceRecords,
    conflicts: conflictsOf(p, resolve, managerLabel),
  };
}
