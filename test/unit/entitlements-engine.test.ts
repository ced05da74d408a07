import { describe, expect, it } from 'vitest';
import type { RuleSetSpec } from '../../src/contract/api/entitlements.ts';
import { loadConfig } from '../../src/server/config.ts';
import {
  type EntitlementInput,
  evaluateAccess,
  initialRuleSet,
  sameAccess,
} from '../../src/server/modules/access/entitlements.engine.ts';

const rules = initialRuleSet(loadConfig({}).access);
const now = new Date('2026-11-21T10:00:00Z');
const input = (over: Partial<EntitlementInput>): EntitlementInput => ({
  personId: '11111111-1111-4111-8111-111111111111',
  status: 'active',
  groups: [],
  builderRelations: false,
  department: null,
  title: null,
  directReportsInBr: 0,
  ...over,
});

describe('entitlement engine: inputs → role, scope and provenance', () => {
  it('grants nothing without a matching rule (e-mail domain is never an input) and nothing when deactivated', () => {
    expect(evaluateAccess(input({}), rules, [], now)).toBeNull();
    expect(evaluateAccess(input({ groups: ['sales', 'br-team-amer'] }), rules, [], now)).toBeNull();
    expect(
      evaluateAccess(input({ groups: ['bi-admins'], status: 'deactivated' }), rules, [], now),
    ).toBeNull();
  });

  it('takes the highest role and the union of scopes, each entitlement with its reason', () => {
    const result = evaluateAccess(
      input({ groups: ['builder-relations', 'bi-managers', 'br-team-amer'] }),
      rules,
      [],
      now,
    );
    expect(result).toMatchObject({
      role: 'manager',
      teams: ['amer'],
      scope: { kind: 'limited', teams: ['amer'], trees: [], units: [] },
    });
    expect(result?.entitlements.map((e) => e.reason)).toEqual([
      'Manager (team) because rule R2 matched: in group bi-managers',
      'Advocate (team) because rule R3 matched: in group builder-relations',
    ]);
    expect(result?.entitlements.every((e) => e.source === 'idp_group')).toBe(true);
  });

  it('derives a manager of a reporting tree from the org source: Builder Relations membership and direct reports', () => {
    const me = input({ builderRelations: true, directReportsInBr: 4 });
    const result = evaluateAccess(me, rules, [], now);
    expect(result?.role).toBe('manager');
    expect(result?.scope).toEqual({ kind: 'limited', teams: [], trees: [me.personId], units: [] });
    expect(result?.entitlements.find((e) => e.role === 'manager')).toMatchObject({
      source: 'org',
      ruleId: 'R7',
      reason:
        'Manager (reporting tree) because rule R7 matched: in Builder Relations, 4 direct reports in Builder Relations',
    });
    expect(evaluateAccess(input({ builderRelations: true }), rules, [], now)?.role).toBe('advocate');
  });

  it('reads departments and title patterns case-insensitively', () => {
    const spec: RuleSetSpec = {
      teamGroupPrefix: 'br-team-',
      builderRelations: { scimGroups: [], departments: [] },
      rules: [
        {
          id: 'R1',
          description: 'DevRel directors see their org unit',
          when: { departments: ['Developer Relations'], titles: ['*director*'] },
          grant: { role: 'viewer', scope: 'org_unit' },
        },
      ],
    };
    const hit = evaluateAccess(
      input({ department: 'developer relations', title: 'Senior Director, DevRel' }),
      spec,
      [],
      now,
    );
    expect(hit).toMatchObject({ role: 'viewer', scope: { kind: 'limited', units: ['developer relations'] } });
    expect(hit?.entitlements[0]?.reason).toContain('title "Senior Director, DevRel" matches "*director*"');
    expect(evaluateAccess(input({ department: 'Sales', title: 'Director' }), spec, [], now)).toBeNull();
    expect(
      evaluateAccess(input({ department: 'Developer Relations', title: null }), spec, [], now),
    ).toBeNull();
  });

  it('adds unexpired exceptions with their expiry, and ignores expired ones even before the job runs', () => {
    const exception = {
      id: '22222222-2222-4222-8222-222222222222',
      role: 'viewer' as const,
      scopeKind: 'all' as const,
      scopeTarget: null,
      justification: 'Quarterly business review',
      expiresAt: new Date('2026-12-01T00:00:00Z'),
    };
    const withEx = evaluateAccess(input({ groups: ['builder-relations'] }), rules, [exception], now);
    expect(withEx).toMatchObject({ role: 'advocate', scope: { kind: 'all' } });
    expect(withEx?.entitlements[1]).toMatchObject({
      source: 'exception',
      exceptionId: exception.id,
      expiresAt: '2026-12-01T00:00:00.000Z',
    });
    const later = new Date('2026-12-02T00:00:00Z');
    expect(evaluateAccess(input({}), rules, [exception], later)).toBeNull();
    const tree = {
      ...exception,
      scopeKind: 'tree' as const,
      scopeTarget: '33333333-3333-4333-8333-333333333333',
    };
    expect(evaluateAccess(input({}), rules, [tree], now)?.scope).toEqual({
      kind: 'limited',
      teams: [],
      trees: [tree.scopeTarget],
      units: [],
    });
  });

  it('follows the configured mapping, not hard-coded group names', () => {
    const custom = initialRuleSet(
      loadConfig({
        ROLE_GROUPS: '{"okta-insights-leads":"manager","okta-admins":"admin"}',
        TEAM_GROUP_PREFIX: 'team:',
        ORG_WIDE_GROUPS: 'okta-directors',
      }).access,
    );
    expect(evaluateAccess(input({ groups: ['bi-managers'] }), custom, [], now)).toBeNull();
    expect(
      evaluateAccess(input({ groups: ['okta-insights-leads', 'team:apac'] }), custom, [], now),
    ).toMatchObject({
      role: 'manager',
      scope: { kind: 'limited', teams: ['apac'] },
    });
    expect(
      evaluateAccess(input({ groups: ['okta-insights-leads', 'okta-directors'] }), custom, [], now)?.scope,
    ).toEqual({ kind: 'all' });
  });

  it('compares access by role and scope, ignoring order', () => {
    const a = {
      role: 'manager' as const,
      scope: { kind: 'limited' as const, teams: ['a', 'b'], trees: [], units: [] },
    };
    const b = {
      role: 'manager' as const,
      scope: { kind: 'limited' as const, teams: ['b', 'a'], trees: [], units: [] },
    };
    expect(sameAccess(a, b)).toBe(true);
    expect(sameAccess(a, { ...b, role: 'advocate' })).toBe(false);
    expect(sameAccess(a, { role: 'manager', scope: { kind: 'all' } })).toBe(false);
  });
});
