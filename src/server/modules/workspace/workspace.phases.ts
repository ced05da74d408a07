import type { GateStatus, ReadinessReport } from '../../../contract/api/readiness.ts';
import { type Phase, type PhaseGate, ROLLOUT_PHASE_ID } from '../../../contract/api/workspace.ts';
import type { FieldError } from '../../../contract/problem.ts';
import { ValidationError } from '../../errors.ts';
import { GATE_BY_ID } from '../readiness/readiness.catalog.ts';
import type { PhaseRow } from './workspace.repo.ts';

/**
 * Phases and readiness: a phase's exit criteria are readiness gates, read live from the report. A phase is
 * complete when all its exit gates pass (the rollout-gate phase also needs the verdict to be go or go with
 * known issues); the first phase that is not complete is current; the ones after it are upcoming, even when
 * their own gates happen to pass (the program moves in order).
 */

export function gateStatuses(report: ReadinessReport): Map<string, { title: string; status: GateStatus }> {
  const statuses = new Map<string, { title: string; status: GateStatus }>();
  for (const block of report.blocks)
    for (const gate of block.gates) statuses.set(gate.id, { title: gate.title, status: gate.status });
  return statuses;
}

export function toPhases(rows: PhaseRow[], report: ReadinessReport): Phase[] {
  const statuses = gateStatuses(report);
  let currentSeen = false;
  return rows.map((row) => {
    const exitGates: PhaseGate[] = row.exitGates.map((id) => {
      const live = statuses.get(id);
      return {
        id,
        title: live?.title ?? GATE_BY_ID.get(id)?.title ?? id,
        status: live?.status ?? 'fail',
      };
    });
    const verdict = row.id === ROLLOUT_PHASE_ID ? report.verdict : null;
    const met = exitGates.every((gate) => gate.status === 'pass') && verdict !== 'no_go';
    let state: Phase['state'];
    if (currentSeen) state = 'upcoming';
    else if (met) state = 'complete';
    else {
      state = 'current';
      currentSeen = true;
    }
    return {
      id: row.id,
      position: row.position,
      name: row.name,
      description: row.description,
      owner: row.owner,
      targetDate: row.targetDate,
      exitGates,
      verdict,
      state,
      version: row.version,
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}

/** Exit gates as stored: trimmed, de-duplicated in order, each a gate of the readiness catalog (400 naming it). */
export function checkExitGates(ids: string[]): string[] {
  const errors: FieldError[] = [];
  const out: string[] = [];
  ids.forEach((id, index) => {
    if (!GATE_BY_ID.has(id))
      errors.push({ field: `body.exitGates.${index}`, message: `"${id}" is not a readiness gate` });
    else if (!out.includes(id)) out.push(id);
  });
  if (errors.length > 0)
    throw new ValidationError('Exit gates must be gates of the readiness model.', errors);
  return out;
}
