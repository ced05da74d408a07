import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  Phase,
  PhaseUpdate,
  Risk,
  RiskCreate,
  RiskList,
  RiskListQuery,
  RiskUpdate,
  Workspace,
  Workstream,
  WorkstreamCreate,
  WorkstreamUpdate,
} from '../../../contract/api/workspace.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { programPhases, risks, workstreams } from '../../db/schema.governance.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeGovernance } from '../readiness/governance.policy.ts';
import { evaluateReadiness } from '../readiness/readiness.service.ts';
import { checkExitGates, toPhases } from './workspace.phases.ts';
import * as repo from './workspace.repo.ts';

export interface WorkspaceDeps {
  db: Db;
  now: () => Date;
  config: Config;
}

type WorkstreamCreateInput = z.output<typeof WorkstreamCreate>;
type RiskCreateInput = z.output<typeof RiskCreate>;

/** 409 naming the version the edit started from and the current one, so the client can reload and retry. */
function staleVersion(what: string, current: number, sent: number): ConflictError {
  return new ConflictError(
    `This ${what} was changed since version ${sent}; it is now at version ${current}. Reload it, reapply ` +
      `your change and send it again with version ${current}.`,
    { errors: [{ field: 'body.version', message: `is ${sent}; the current version is ${current}` }] },
  );
}

const nameInUse = (name: string) =>
  new ConflictError(`A workstream named "${name}" already exists (names are compared ignoring case).`, {
    errors: [{ field: 'body.name', message: 'is already in use' }],
  });

/** A unique index refused the write (a concurrent create won the race): 409, never 500. */
async function uniqueName<T>(write: () => Promise<T>, name: () => string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const text = `${(err as { message?: string }).message ?? ''} ${String((err as { cause?: unknown }).cause ?? '')}`;
    if (text.includes('workstreams_name_idx')) throw nameInUse(name());
    throw err;
  }
}

async function checkPhase(db: Db, phaseId: string | null | undefined): Promise<void> {
  if (phaseId === null || phaseId === undefined) return;
  if (!(await repo.findPhase(db, phaseId)))
    throw new ValidationError('No such program phase.', [
      { field: 'body.phaseId', message: 'is not a phase' },
    ]);
}

async function checkWorkstream(db: Db, id: string | null | undefined): Promise<void> {
  if (id === null || id === undefined) return;
  if (!(await repo.findWorkstream(db, id)))
    throw new ValidationError('No such workstream.', [
      { field: 'body.workstreamId', message: 'is not a workstream' },
    ]);
}

/** The phases with their live exit-gate status (one readiness evaluation). */
async function livePhases(deps: WorkspaceDeps) {
  const report = await evaluateReadiness({ db: deps.db, now: deps.now, config: deps.config });
  return { report, phases: toPhases(await repo.listPhases(deps.db), report) };
}

/** GET /api/v1/workspace: phases (live state), workstreams, risks and the count of open blockers. */
export async function getWorkspace(deps: WorkspaceDeps, ctx: RequestContext): Promise<Workspace> {
  authorizeGovernance(requireActor(ctx), 'read');
  const { report, phases } = await livePhases(deps);
  const [streams, riskList] = [await repo.listWorkstreams(deps.db), await repo.listRisks(deps.db)];
  return {
    evaluatedAt: report.evaluatedAt,
    verdict: report.verdict,
    phases,
    workstreams: streams.map(repo.toWorkstream),
    risks: riskList,
    openBlockers: riskList.filter((risk) => risk.blocking).length,
  };
}

/** PATCH /api/v1/workspace/phases/:id: owner, description, target date, exit gates; versioned and audited. */
export async function updatePhase(
  deps: WorkspaceDeps,
  ctx: RequestContext,
  id: string,
  input: PhaseUpdate,
): Promise<Phase> {
  authorizeGovernance(requireActor(ctx), 'write');
  const { version, ...fields } = input;
  const patch = {
    ...fields,
    exitGates: fields.exitGates === undefined ? undefined : checkExitGates(fields.exitGates),
  };
  await deps.db.transaction(async (tx) => {
    const row = await repo.findPhase(tx, id, true);
    if (!row) throw new NotFoundError('program phase');
    if (row.version !== version) throw staleVersion('phase', row.version, version);
    const changed = repo.changedFields(row, patch);
    if (changed.length === 0) return;
    const set: Partial<repo.PhaseRow> = {};
    for (const key of changed) Object.assign(set, { [key]: patch[key as keyof typeof patch] });
    await tx
      .update(programPhases)
      .set({ ...set, version: version + 1, updatedAt: deps.now() })
      .where(and(eq(programPhases.id, id), eq(programPhases.version, version)));
    await audit(tx, ctx, {
      action: 'program_phase.updated',
      targetId: id,
      details: { fromVersion: version, toVersion: version + 1, changed },
    });
  });
  const { phases } = await livePhases(deps);
  const phase = phases.find((p) => p.id === id);
  if (!phase) throw new NotFoundError('program phase');
  return phase;
}

/** POST /api/v1/workspace/workstreams. */
export async function createWorkstream(
  deps: WorkspaceDeps,
  ctx: RequestContext,
  input: WorkstreamCreateInput,
): Promise<Workstream> {
  authorizeGovernance(requireActor(ctx), 'write');
  const row = await uniqueName(
    () =>
      deps.db.transaction(async (tx) => {
        await checkPhase(tx, input.phaseId);
        if (await repo.workstreamNameTaken(tx, input.name)) throw nameInUse(input.name);
        const now = deps.now();
        const [created] = await tx
          .insert(workstreams)
          .values({ ...input, createdAt: now, updatedAt: now })
          .returning();
        if (!created) throw new Error('insert returned no row');
        await audit(tx, ctx, {
          action: 'workstream.created',
          targetId: created.id,
          details: { name: created.name, owner: created.owner, status: created.status },
        });
        return created;
      }),
    () => input.name,
  );
  return repo.toWorkstream(row);
}

/** PATCH /api/v1/workspace/workstreams/:id. */
export async function updateWorkstream(
  deps: WorkspaceDeps,
  ctx: RequestContext,
  id: string,
  input: WorkstreamUpdate,
): Promise<Workstream> {
  authorizeGovernance(requireActor(ctx), 'write');
  const { version, ...patch } = input;
  await uniqueName(
    () =>
      deps.db.transaction(async (tx) => {
        const row = await repo.findWorkstream(tx, id, true);
        if (!row) throw new NotFoundError('workstream');
        if (row.version !== version) throw staleVersion('workstream', row.version, version);
        const changed = repo.changedFields(row, patch);
        if (changed.length === 0) return;
        if (changed.includes('phaseId')) await checkPhase(tx, patch.phaseId);
        if (changed.includes('name') && patch.name && (await repo.workstreamNameTaken(tx, patch.name, id)))
          throw nameInUse(patch.name);
        const set: Partial<repo.WorkstreamRow> = {};
        for (const key of changed) Object.assign(set, { [key]: patch[key as keyof typeof patch] });
        await tx
          .update(workstreams)
          .set({ ...set, version: version + 1, updatedAt: deps.now() })
          .where(and(eq(workstreams.id, id), eq(workstreams.version, version)));
        await audit(tx, ctx, {
          action: 'workstream.updated',
          targetId: id,
          details: { name: patch.name ?? row.name, fromVersion: version, toVersion: version + 1, changed },
        });
      }),
    () => patch.name ?? '',
  );
  const row = await repo.findWorkstream(deps.db, id);
  if (!row) throw new NotFoundError('workstream');
  return repo.toWorkstream(row);
}

/** GET /api/v1/workspace/risks?level&status. */
export async function listRisks(
  deps: WorkspaceDeps,
  ctx: RequestContext,
  query: RiskListQuery,
): Promise<RiskList> {
  authorizeGovernance(requireActor(ctx), 'read');
  return { items: await repo.listRisks(deps.db, query) };
}

/** POST /api/v1/workspace/risks: a blocker that is open or mitigating makes the rollout verdict no-go. */
export async function createRisk(
  deps: WorkspaceDeps,
  ctx: RequestContext,
  input: RiskCreateInput,
): Promise<Risk> {
  const actor = requireActor(ctx);
  authorizeGovernance(actor, 'write');
  const id = await deps.db.transaction(async (tx) => {
    await checkWorkstream(tx, input.workstreamId);
    const now = deps.now();
    const [created] = await tx
      .insert(risks)
      .values({ ...input, createdAt: now, updatedAt: now, createdBy: actor.personId })
      .returning({ id: risks.id });
    if (!created) throw new Error('insert returned no row');
    await audit(tx, ctx, {
      action: 'risk.created',
      targetId: created.id,
      details: { title: input.title, level: input.level, status: input.status, owner: input.owner },
    });
    return created.id;
  });
  const risk = await repo.readRisk(deps.db, id);
  if (!risk) throw new NotFoundError('risk');
  return risk;
}

/** PATCH /api/v1/workspace/risks/:id. */
export async function updateRisk(
  deps: WorkspaceDeps,
  ctx: RequestContext,
  id: string,
  input: RiskUpdate,
): Promise<Risk> {
  authorizeGovernance(requireActor(ctx), 'write');
  const { version, ...patch } = input;
  await deps.db.transaction(async (tx) => {
    const row = await repo.findRisk(tx, id, true);
    if (!row) throw new NotFoundError('risk');
    if (row.version !== version) throw staleVersion('risk', row.version, version);
    const changed = repo.changedFields(row, patch);
    if (changed.length === 0) return;
    if (changed.includes('workstreamId')) await checkWorkstream(tx, patch.workstreamId);
    const set: Partial<repo.RiskRow> = {};
    for (const key of changed) Object.assign(set, { [key]: patch[key as keyof typeof patch] });
    await tx
      .update(risks)
      .set({ ...set, version: version + 1, updatedAt: deps.now() })
      .where(and(eq(risks.id, id), eq(risks.version, version)));
    await audit(tx, ctx, {
      action: 'risk.updated',
      targetId: id,
      details: {
        level: patch.level ?? row.level,
        status: patch.status ?? row.status,
        fromVersion: version,
        toVersion: version + 1,
        changed,
      },
    });
  });
  const risk = await repo.readRisk(deps.db, id);
  if (!risk) throw new NotFoundError('risk');
  return risk;
}
