import { and, asc, eq, gt, inArray, isNotNull, ne, type SQL, sql } from 'drizzle-orm';
import type { RuleSetSpec } from '../../../contract/api/entitlements.ts';
import type { Db } from '../../db/client.ts';
import { accessExceptions, people } from '../../db/schema.ts';
import { activeModel } from '../claims-model/claims-model.service.ts';
import { type EvaluatedAccess, type ExceptionGrant, evaluateAccess } from './entitlements.engine.ts';
import { activeRuleSet, inputOf, type PersonFacts } from './entitlements.service.ts';
import { filterGroups } from './groups.ts';

/**
 * Effective access for many people at once (people pages, rule previews, review campaigns): the same inputs
 * the per-request session code uses, loaded in a fixed number of queries instead of one round trip per
 * person. `ids: 'all'` means everyone who is not deactivated.
 */
export interface BatchFacts {
  directReports: Map<string, number>;
  exceptions: Map<string, ExceptionGrant[]>;
}

export async function loadBatchFacts(db: Db, ids: readonly string[] | 'all', now: Date): Promise<BatchFacts> {
  const facts: BatchFacts = { directReports: new Map(), exceptions: new Map() };
  if (ids !== 'all' && ids.length === 0) return facts;
  const managers: SQL = ids === 'all' ? isNotNull(people.managerId) : inArray(people.managerId, [...ids]);
  const counts = await db
    .select({ managerId: people.managerId, n: sql<number>`count(*)::int` })
    .from(people)
    .where(and(managers, eq(people.builderRelations, true), ne(people.status, 'deactivated')))
    .groupBy(people.managerId);
  for (const c of counts) if (c.managerId) facts.directReports.set(c.managerId, Number(c.n));

  const subjects: SQL | undefined = ids === 'all' ? undefined : inArray(accessExceptions.subjectId, [...ids]);
  const grants = await db
    .select()
    .from(accessExceptions)
    .where(and(subjects, eq(accessExceptions.status, 'active'), gt(accessExceptions.expiresAt, now)))
    .orderBy(asc(accessExceptions.requestedAt), asc(accessExceptions.id));
  for (const e of grants) {
    const list = facts.exceptions.get(e.subjectId) ?? [];
    list.push({
      id: e.id,
      role: e.role,
      scopeKind: e.scopeKind,
      scopeTarget: e.scopeTarget,
      expiresAt: e.expiresAt,
      justification: e.justification,
    });
    facts.exceptions.set(e.subjectId, list);
  }
  return facts;
}

/** The active rule set and the claims model's group filter: what every evaluation reads. */
export interface Rules {
  version: number;
  spec: RuleSetSpec;
  groupFilter: Awaited<ReturnType<typeof activeModel>>['spec']['groupFilter'];
}

export async function loadRules(db: Db): Promise<Rules> {
  const [rules, model] = [await activeRuleSet(db), await activeModel(db)];
  return { version: rules.version, spec: rules.spec, groupFilter: model.spec.groupFilter };
}

/** One person's access from preloaded facts (groups pass the claims model's filter first). */
export function evaluateWith(
  person: PersonFacts,
  facts: BatchFacts,
  rules: Pick<Rules, 'groupFilter'>,
  spec: RuleSetSpec,
  now: Date,
): EvaluatedAccess | null {
  const input = inputOf(
    { ...person, groups: filterGroups(person.groups, rules.groupFilter) },
    facts.directReports.get(person.id) ?? 0,
  );
  return evaluateAccess(input, spec, facts.exceptions.get(person.id) ?? [], now);
}
