import { describe, expect, it } from 'vitest';
import type { Blocker, GateResult } from '../../src/contract/api/readiness.ts';
import { GATES } from '../../src/server/modules/readiness/readiness.catalog.ts';
import { buildReport, verdictOf, worstStatus } from '../../src/server/modules/readiness/readiness.verdict.ts';

const gate = (id: string, priority: 'P0' | 'P1', status: GateResult['status']): GateResult => ({
  id,
  block: 'workforce_identity',
  title: id,
  priority,
  kind: 'automatic',
  status,
  reason: `${id} is ${status}.`,
  evidence: {},
  fix: 'fix it',
  owner: null,
  evidenceUrl: null,
  expiresAt: null,
});
const blocker: Blocker = {
  id: '00000000-0000-4000-8000-000000000001',
  title: 'No namespace',
  owner: 'Platform',
  status: 'open',
};

describe('the release rule', () => {
  it('go only when every gate passes and no blocker is open', () => {
    expect(verdictOf([gate('a', 'P0', 'pass'), gate('b', 'P1', 'pass')], [])).toEqual({
      verdict: 'go',
      reasons: [],
    });
  });
  it('a failing P0 gate or an open blocker is no-go, naming both', () => {
    expect(verdictOf([gate('a', 'P0', 'fail'), gate('b', 'P1', 'warn')], [blocker])).toEqual({
      verdict: 'no_go',
      reasons: ['a (P0) fails: a is fail.', 'Blocker open: No namespace (owner Platform, open)'],
    });
    expect(verdictOf([gate('a', 'P0', 'pass')], [blocker]).verdict).toBe('no_go');
  });
  it('a warning anywhere or a failing P1 gate is go with known issues', () => {
    expect(verdictOf([gate('a', 'P0', 'warn')], [])).toEqual({
      verdict: 'go_with_known_issues',
      reasons: ['a (P0) warns: a is warn.'],
    });
    expect(verdictOf([gate('a', 'P0', 'pass'), gate('b', 'P1', 'fail')], []).verdict).toBe(
      'go_with_known_issues',
    );
  });
  it('a block shows its worst gate; counts add up', () => {
    expect(worstStatus([])).toBe('pass');
    expect(worstStatus(['pass', 'warn', 'pass'])).toBe('warn');
    expect(worstStatus(['warn', 'fail'])).toBe('fail');
    const report = buildReport([gate('a', 'P0', 'pass'), gate('b', 'P1', 'fail')], [], 'dev', new Date(0));
    expect(report.counts).toEqual({ pass: 1, warn: 0, fail: 1 });
    expect(report.blocks.find((b) => b.id === 'workforce_identity')?.status).toBe('fail');
    expect(report.blocks).toHaveLength(6);
  });
  it('the catalog: unique ids, every block covered, manual gates name an owner', () => {
    expect(new Set(GATES.map((g) => g.id)).size).toBe(GATES.length);
    expect(new Set(GATES.map((g) => g.block)).size).toBe(6);
    expect(
      GATES.filter((g) => g.kind === 'manual')
        .map((g) => g.id)
        .sort(),
    ).toEqual([
      'audit.owners_named',
      'deploy.release_gate_passed',
      'identity.okta_app_registered',
      'org.source_confirmed',
      'runtime.ingress_dns_planned',
      'runtime.secrets_central_store',
      'telemetry.dashboard_ownership',
    ]);
  });
});
