import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.ts';
import {
  type ExceptionGrant,
  evaluateAccess,
  initialRuleSet,
} from '../../src/server/modules/access/entitlements.engine.ts';
import {
  adminsOf,
  type Evaluated,
  needsOtherAdmin,
  type OrgAccess,
  type PersonRow,
  planItems,
  selectPopulation,
} from '../../src/server/modules/access-reviews/access-reviews.population.ts';

const spec = loadConfig({}).access;
const now = new Date('2026-09-01T00:00:00Z');
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function person(n: number, name: string, over: Partial<PersonRow> = {}): PersonRow {
  return {
    id: uuid(n),
    displayName: name,
    email: `${name.toLowerCase()}@example.com`,
    status: 'active',
    groups: [],
    builderRelations: false,
    department: null,
    title: null,
    managerId: null,
    ...over,
  };
}

function orgOf(rows: PersonRow[], exceptions: Record<string, ExceptionGrant[]> = {}): OrgAccess {
  const rules = initialRuleSet(spec);
  const byId = new Map<string, Evaluated>();
  for (const p of rows) {
    const reports = rows.filter(
      (r) => r.managerId === p.id && r.builderRelations && r.status !== 'deactivated',
    );
    const input = {
      personId: p.id,
      status: p.status,
      groups: p.groups,
      builderRelations: p.builderRelations,
      department: p.department,
      title: p.title,
      directReportsInBr: reports.length,
    };
    byId.set(p.id, { person: p, input, access: evaluateAccess(input, rules, exceptions[p.id] ?? [], now) });
  }
  return { ruleSetVersion: 1, spec: rules, byId };
}

const priya = person(1, 'Priya', { groups: ['bi-admins'] });
const noah = person(2, 'Noah', { groups: ['bi-admins'] });
const maya = person(3, 'Maya', {
  groups: ['bi-managers', 'builder-relations'],
  managerId: uuid(1),
  builderRelations: true,
});
const ben = person(4, 'Ben', { groups: ['builder-relations'], managerId: uuid(3), builderRelations: true });
const victor = person(5, 'Victor', { groups: ['bi-viewers'], managerId: uuid(3) });
const gone = person(6, 'Gone', { groups: ['bi-admins'], status: 'deactivated' });
const lena = person(7, 'Lena', { builderRelations: true, managerId: uuid(6) });
const exception: ExceptionGrant = {
  id: uuid(99),
  role: 'viewer',
  scopeKind: 'all',
  scopeTarget: null,
  expiresAt: new Date('2026-12-01T00:00:00Z'),
  justification: 'QBR prep',
};
const creator = { id: priya.id, name: 'Priya' };
const names = (list: Evaluated[]) => list.map((e) => e.person.displayName);

describe('access review population and reviewers', () => {
  it('selects privileged people, Builder Relations people, or the listed ones — never the deactivated', async () => {
    const org = orgOf([priya, noah, maya, ben, victor, gone, lena], { [victor.id]: [exception] });
    expect(names(selectPopulation(org, 'privileged'))).toEqual(['Maya', 'Noah', 'Priya', 'Victor']);
    expect(names(selectPopulation(org, 'builder_relations'))).toEqual([
      'Ben',
      'Lena',
      'Maya',
      'Noah',
      'Priya',
    ]);
    expect(names(selectPopulation(org, 'custom', [ben.id, gone.id, victor.id]))).toEqual(['Ben', 'Victor']);
  });

  it('assigns the manager, else the creator, else another admin; never the subject', async () => {
    const org = orgOf([priya, noah, maya, ben, victor, gone, lena]);
    const subjects = selectPopulation(org, 'builder_relations');
    expect(needsOtherAdmin(org, subjects, priya.id)).toBe(true);
    const other = adminsOf(org, priya.id)[0] ?? null;
    expect(other?.person.displayName).toBe('Noah');
    const items = planItems(org, subjects, creator, other);
    const reviewerOf = (who: PersonRow) =>
      new Set(items.filter((i) => i.subjectId === who.id).map((i) => i.reviewerId));
    expect(reviewerOf(ben)).toEqual(new Set([maya.id]));
    expect(reviewerOf(maya)).toEqual(new Set([priya.id]));
    expect(reviewerOf(priya)).toEqual(new Set([noah.id]));
    expect(reviewerOf(noah)).toEqual(new Set([priya.id]));
    // Lena's manager is deactivated: the creator reviews her.
    expect(reviewerOf(lena)).toEqual(new Set([priya.id]));
    expect(items.every((i) => i.reviewerId !== i.subjectId)).toBe(true);
    const mayaGroups = items.find((i) => i.subjectId === maya.id && i.entitlement.ruleId === 'R2');
    expect(mayaGroups?.entitlement).toMatchObject({
      groups: ['bi-managers'],
      subjectName: 'Maya',
      reviewerName: 'Priya',
    });
    const mayaTree = items.find((i) => i.subjectId === maya.id && i.entitlement.ruleId === 'R7');
    expect(mayaTree?.entitlement.facts).toEqual([
      'in Builder Relations',
      '1 direct report in Builder Relations',
    ]);
  });

  it('refuses when nobody but the subject could review them', async () => {
    const org = orgOf([priya, ben]);
    const subjects = selectPopulation(org, 'custom', [priya.id]);
    expect(adminsOf(org, priya.id)).toEqual([]);
    expect(() => planItems(org, subjects, creator, null)).toThrow(
      /Nobody but Priya could review their own access/,
    );
  });
});
