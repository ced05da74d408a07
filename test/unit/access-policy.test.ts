import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.ts';
import { deriveAccess } from '../../src/server/modules/access/access.policy.ts';

const access = loadConfig({}).access;

describe('groups → role and scope', () => {
  it('grants nothing without a mapped group (e-mail domain is never consulted)', () => {
    expect(deriveAccess([], access)).toBeNull();
    expect(deriveAccess(['sales', 'br-team-amer'], access)).toBeNull();
  });

  it('gives the highest role any mapped group grants, with provenance', () => {
    const result = deriveAccess(['builder-relations', 'bi-managers', 'br-team-amer'], access);
    expect(result).toMatchObject({
      role: 'manager',
      team: 'amer',
      scope: { kind: 'teams', teams: ['amer'] },
      provenance: { roleGroup: 'bi-managers', teamGroups: ['br-team-amer'], orgWideGroup: null },
    });
  });

  it('scopes advocates and managers to their teams, org-wide groups to everything', () => {
    expect(deriveAccess(['builder-relations', 'br-team-emea'], access)?.scope).toEqual({
      kind: 'teams',
      teams: ['emea'],
    });
    expect(deriveAccess(['builder-relations'], access)?.scope).toEqual({ kind: 'teams', teams: [] });
    expect(deriveAccess(['bi-managers', 'br-leadership'], access)?.scope).toEqual({ kind: 'org' });
    expect(deriveAccess(['bi-admins'], access)?.scope).toEqual({ kind: 'org' });
    expect(deriveAccess(['bi-viewers'], access)).toMatchObject({ role: 'viewer', scope: { kind: 'org' } });
  });

  it('follows the configured mapping, not hard-coded group names', () => {
    const custom = loadConfig({
      ROLE_GROUPS: '{"okta-insights-leads":"manager"}',
      TEAM_GROUP_PREFIX: 'team:',
      ORG_WIDE_GROUPS: 'okta-directors',
    }).access;
    expect(deriveAccess(['bi-managers'], custom)).toBeNull();
    expect(deriveAccess(['okta-insights-leads', 'team:apac'], custom)).toMatchObject({
      role: 'manager',
      scope: { kind: 'teams', teams: ['apac'] },
    });
    expect(deriveAccess(['okta-insights-leads', 'okta-directors'], custom)?.scope).toEqual({ kind: 'org' });
  });
});
