import type {
  RulePreview,
  RuleSetChange,
  RuleSetOverview,
  RuleSetProposed,
  RuleSetVersion,
  RulesApprovalPolicy,
} from '../../../contract/api/access.ts';
import type { RuleSetSpec } from '../../../contract/api/entitlements.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { refreshAllScimPeople } from '../scim/scim.membership.ts';
import { authorizeRules, checkRuleApprover } from './access.policy.ts';
import { activeRuleSet, ruleSetSpecOf } from './entitlements.service.ts';
import { loadPopulation, previewChange, sameSpec } from './rules.preview.ts';
import * as repo from './rules.repo.ts';

/**
 * Changing the entitlement rules: preview who gains and loses what, propose a new version (audited with the
 * preview totals), and — with ENTITLEMENT_RULES_APPROVAL=second_admin — have a different admin approve it
 * before it becomes active. Only one version is pending at a time: a newer proposal withdraws the older one
 * (recorded as rejected, with a note naming the newer version). Activation applies to every session on its
 * next request, since access is re-derived per request from the active version.
 */

export interface RulesDeps {
  db: Db;
  now: () => Date;
  approval: RulesApprovalPolicy;
}

const RECENT_VERSIONS = 20;

function viewOf(db: Db, v: repo.RuleSetView): RuleSetVersion {
  const { row } = v;
  const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? 'Unknown' } : null);
  return {
    version: row.version,
    status: row.status,
    spec: ruleSetSpecOf(db, row),
    reason: row.reason,
    createdBy: person(row.createdBy, v.creatorName),
    createdAt: row.createdAt.toISOString(),
    approvedBy: person(row.approvedBy, v.approverName),
    approvedAt: row.approvedAt?.toISOString() ?? null,
    activatedAt: row.activatedAt?.toISOString() ?? null,
    proposal: v.proposal,
    rejection: v.rejection
      ? {
          by: person(v.rejection.by, v.rejection.byName),
          at: new Date(v.rejection.at).toISOString(),
          note: v.rejection.note,
        }
      : null,
  };
}

async function versionView(db: Db, version: number): Promise<RuleSetVersion> {
  const [found] = await repo.listRuleSetViews(db, { version });
  if (!found) throw new NotFoundError('rule-set version');
  return viewOf(db, found);
}

export async function rulesOverview(deps: RulesDeps, ctx: RequestContext): Promise<RuleSetOverview> {
  authorizeRules(requireActor(ctx), 'read');
  const recent = (await repo.listRuleSetViews(deps.db, { limit: RECENT_VERSIONS })).map((v) =>
    viewOf(deps.db, v),
  );
  const active =
    recent.find((v) => v.status === 'active') ??
    (await repo.listRuleSetViews(deps.db, { status: 'active' })).map((v) => viewOf(deps.db, v))[0];
  if (!active) throw new Error('no active entitlement rule set');
  return {
    approvalPolicy: deps.approval,
    active,
    pending: recent.find((v) => v.status === 'pending') ?? null,
    versions: recent,
  };
}

/** What the service checks beyond the schema (a 400 naming the field). */
function checkSpec(spec: RuleSetSpec): void {
  if (!spec.rules.some((r) => r.grant.role === 'admin'))
    throw new ValidationError('The rule set is not valid.', [
      { field: 'body.spec.rules', message: 'at least one rule must grant admin' },
    ]);
}

export async function previewRules(
  deps: RulesDeps,
  ctx: RequestContext,
  spec: RuleSetSpec,
): Promise<RulePreview> {
  const actor = requireActor(ctx);
  authorizeRules(actor, 'read');
  const now = deps.now();
  const active = await activeRuleSet(deps.db);
  const population = await loadPopulation(deps.db, now);
  return previewChange(population, active, spec, actor.personId, now);
}

export async function proposeRules(
  deps: RulesDeps,
  ctx: RequestContext,
  change: RuleSetChange,
): Promise<RuleSetProposed> {
  const actor = requireActor(ctx);
  authorizeRules(actor, 'change');
  checkSpec(change.spec);
  const now = deps.now();
  const needsApproval = deps.approval === 'second_admin';
  const { version, preview } = await deps.db.transaction(async (tx) => {
    await repo.lockRuleSets(tx);
    const activeRow = await repo.findActiveRuleSet(tx);
    if (!activeRow) throw new Error('no active entitlement rule set');
    const active = { version: activeRow.version, spec: ruleSetSpecOf(tx, activeRow) };
    if (sameSpec(active.spec, change.spec))
      throw new ConflictError('Nothing changed: the rules are the same as the active version.');
    const preview = previewChange(await loadPopulation(tx, now), active, change.spec, actor.personId, now);
    if (preview.blockers.length > 0) throw new ConflictError(preview.blockers.join(' '));

    const version = (await repo.latestVersion(tx)) + 1;
    for (const older of await repo.findPendingRuleSets(tx)) {
      await repo.rejectRuleSet(tx, older.version);
      await audit(tx, ctx, {
        action: 'entitlement_rules.rejected',
        targetId: String(older.version),
        details: { version: older.version, note: `Withdrawn: superseded by version ${version}` },
      });
    }
    await repo.insertRuleSet(tx, {
      version,
      spec: change.spec,
      status: 'pending',
      reason: change.reason,
      createdBy: actor.personId,
      createdAt: now,
    });
    await audit(tx, ctx, {
      action: 'entitlement_rules.proposed',
      targetId: String(version),
      details: {
        version,
        reason: change.reason,
        changedRules: preview.changedRules,
        gains: preview.totals.gains,
        losses: preview.totals.losses,
        needsApproval,
      },
    });
    if (!needsApproval) {
      await repo.activateRuleSet(tx, version, now);
      // A new team prefix changes what SCIM memberships mean: re-derive stored teams in the same transaction.
      await refreshAllScimPeople(tx, now);
      await audit(tx, ctx, {
        action: 'entitlement_rules.activated',
        targetId: String(version),
        details: { version, previousVersion: active.version, reason: change.reason, approvedBy: null },
      });
    }
    return { version, preview };
  });
  return { version: await versionView(deps.db, version), preview };
}

async function lockedPending(tx: Db, version: number): Promise<repo.RuleSetRow> {
  await repo.lockRuleSets(tx);
  const row = await repo.findRuleSet(tx, version);
  if (!row) throw new NotFoundError('rule-set version');
  if (row.status === 'pending') return row;
  const latest = await repo.latestVersion(tx);
  if (row.status === 'rejected' && latest > version)
    throw new ConflictError(
      `Version ${version} is no longer pending: it was rejected or superseded by a newer proposal.`,
    );
  throw new ConflictError(`Version ${version} is ${row.status}, not pending.`);
}

/** A second admin (never the author) activates a pending version. */
export async function approveRules(
  deps: RulesDeps,
  ctx: RequestContext,
  version: number,
): Promise<RuleSetVersion> {
  const actor = requireActor(ctx);
  authorizeRules(actor, 'decide');
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const row = await lockedPending(tx, version);
    checkRuleApprover(actor, row);
    const previous = await repo.findActiveRuleSet(tx);
    await repo.markRuleSetApproved(tx, version, actor.personId, now);
    await repo.activateRuleSet(tx, version, now);
    // A new team prefix changes what SCIM memberships mean: re-derive stored teams in the same transaction.
    await refreshAllScimPeople(tx, now);
    await audit(tx, ctx, {
      action: 'entitlement_rules.activated',
      targetId: String(version),
      details: {
        version,
        previousVersion: previous?.version ?? null,
        reason: row.reason,
        approvedBy: actor.personId,
      },
    });
  });
  return versionView(deps.db, version);
}

/** Any admin rejects a pending version; its author rejecting it withdraws it. */
export async function rejectRules(
  deps: RulesDeps,
  ctx: RequestContext,
  version: number,
  note: string,
): Promise<RuleSetVersion> {
  authorizeRules(requireActor(ctx), 'decide');
  await deps.db.transaction(async (tx) => {
    await lockedPending(tx, version);
    await repo.rejectRuleSet(tx, version);
    await audit(tx, ctx, {
      action: 'entitlement_rules.rejected',
      targetId: String(version),
      details: { version, note },
    });
  });
  return versionView(deps.db, version);
}
