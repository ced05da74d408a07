import {
  BLOCK_LABEL,
  type Blocker,
  type DeployEnvironment,
  type GateResult,
  type GateStatus,
  READINESS_BLOCKS,
  type ReadinessBlock,
  type ReadinessReport,
  type Verdict,
} from '../../../contract/api/readiness.ts';

/**
 * The program's release rule, as a pure function (docs/readiness.md#verdict):
 * - no_go: any P0 gate fails, or any blocker risk is open (or being mitigated);
 * - go_with_known_issues: otherwise, when any gate warns or any P1 gate fails;
 * - go: every gate passes and no blocker is open.
 */
export function verdictOf(
  gates: readonly GateResult[],
  blockers: readonly Blocker[],
): { verdict: Verdict; reasons: string[] } {
  const failingP0 = gates.filter((g) => g.priority === 'P0' && g.status === 'fail');
  if (failingP0.length > 0 || blockers.length > 0) {
    return {
      verdict: 'no_go',
      reasons: [
        ...failingP0.map((g) => `${g.id} (P0) fails: ${g.reason}`),
        ...blockers.map((b) => `Blocker open: ${b.title} (owner ${b.owner}, ${b.status})`),
      ],
    };
  }
  const known = gates.filter((g) => g.status === 'warn' || (g.priority === 'P1' && g.status === 'fail'));
  if (known.length > 0)
    return {
      verdict: 'go_with_known_issues',
      reasons: known.map(
        (g) => `${g.id} (${g.priority}) ${g.status === 'warn' ? 'warns' : 'fails'}: ${g.reason}`,
      ),
    };
  return { verdict: 'go', reasons: [] };
}

const RANK: Record<GateStatus, number> = { pass: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: readonly GateStatus[]): GateStatus {
  return statuses.reduce<GateStatus>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'pass');
}

/** Assemble the report from evaluated gates (in catalog order) and open blockers. */
export function buildReport(
  gates: readonly GateResult[],
  blockers: readonly Blocker[],
  environment: DeployEnvironment,
  evaluatedAt: Date,
): ReadinessReport {
  const blocks: ReadinessBlock[] = READINESS_BLOCKS.map((id) => {
    const own = gates.filter((g) => g.block === id);
    return { id, label: BLOCK_LABEL[id], status: worstStatus(own.map((g) => g.status)), gates: own };
  });
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const g of gates) counts[g.status] += 1;
  const { verdict, reasons } = verdictOf(gates, blockers);
  return {
    evaluatedAt: evaluatedAt.toISOString(),
    environment,
    verdict,
    reasons,
    counts,
    blocks,
    blockers: [...blockers],
  };
}
