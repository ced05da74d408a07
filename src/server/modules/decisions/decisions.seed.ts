import type { DecisionState } from '../../../contract/api/decisions.ts';
import type { Db } from '../../db/client.ts';
import { decisions } from '../../db/schema.governance.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { countDecisions, insertVersion, lockNumbers } from './decisions.repo.ts';

/**
 * The register's first content, from the program's "Platform Operationalization" page: the four entries of its
 * "Decision and ownership map" (DEC-1…4, wording, owners and statuses as the page states them; the direction
 * is the page's target-state expectation for the area) and its five "Decisions to make next" (DEC-5…9), each
 * in the workstream it belongs to. Dependencies follow the page's suggested sequencing: identity foundation,
 * then the org and entitlement model, Kanopy productionization, observability maturity.
 */
interface SeedDecision extends Omit<DecisionState, 'dependsOn'> {
  /** Positions (1-based, = the seeded number) of the decisions this one waits for. */
  after: number[];
}

const IDENTITY = { workstream: 'Identity', owner: 'Identity and Security' };
const ORG = { workstream: 'Org-aware access', owner: 'Builder Relations Ops and Org Systems' };
const HOSTING = { workstream: 'Hosting', owner: 'Platform Engineering and Application Engineering' };
const OBSERVABILITY = {
  workstream: 'Observability',
  owner: 'Platform Engineering, Product, and Application Engineering',
};

export const SEED_DECISIONS: readonly SeedDecision[] = [
  {
    ...IDENTITY,
    title: 'Okta SSO path and claims model',
    direction: 'Okta-backed identity becomes the enterprise entry point.',
    status: 'needs_decision',
    nextAction:
      'Okta SSO path and claims model still need a formal decision: decide them, with the break-glass admin ' +
      'policy, first.',
    dueDate: null,
    after: [],
  },
  {
    ...ORG,
    title: 'Builder Relations source of truth',
    direction: 'Builder Relations membership and reporting scope become authoritative.',
    status: 'needs_decision',
    nextAction:
      'Confirm the operating answer: define how Builder Relations membership and reporting structure enter ' +
      'the app and become roles.',
    dueDate: null,
    after: [1],
  },
  {
    ...HOSTING,
    title: 'First Kanopy runtime boundary',
    direction: 'Internal runtime lives in Kanopy with explicit environment and operational discipline.',
    status: 'drafted',
    nextAction:
      'The boundary is shaped enough to discuss but not yet fully settled: settle it, then move the internal ' +
      'web and service runtime into Kanopy with real environment discipline.',
    dueDate: null,
    after: [],
  },
  {
    ...OBSERVABILITY,
    title: 'Telemetry stack and dashboard ownership',
    direction: 'Reliability, audit, and usage visibility become built-in platform capabilities.',
    status: 'needs_decision',
    nextAction:
      'Get explicit approval of the telemetry stack and of who owns the dashboards, alerts, analytics, and ' +
      'audit views needed to operate the platform.',
    dueDate: null,
    after: [3],
  },
  {
    ...ORG,
    title: 'Which internal system is authoritative for Builder Relations membership',
    direction: '',
    status: 'needs_decision',
    nextAction: 'Name the internal system of record for Builder Relations membership and who operates it.',
    dueDate: null,
    after: [2],
  },
  {
    ...IDENTITY,
    title: 'Which Okta groups or claims the app should trust',
    direction: '',
    status: 'needs_decision',
    nextAction:
      'List the Okta groups and claims the app would trust and review them with Identity and Security.',
    dueDate: null,
    after: [1, 5],
  },
  {
    ...HOSTING,
    title: 'Which services belong in Kanopy first',
    direction: '',
    status: 'drafted',
    nextAction: 'Agree which services move into Kanopy first, within the drafted runtime boundary.',
    dueDate: null,
    after: [3],
  },
  {
    ...OBSERVABILITY,
    title: 'Which observability stack and ownership model are approved internally',
    direction: '',
    status: 'needs_decision',
    nextAction: 'Take the observability stack and its ownership model to internal approval.',
    dueDate: null,
    after: [4, 7],
  },
  {
    ...IDENTITY,
    title: 'Who owns access reviews, entitlement exceptions, and audit follow-up',
    direction: '',
    status: 'in_discovery',
    nextAction: 'Name the owners of access reviews, entitlement exceptions, and audit follow-up.',
    dueDate: null,
    after: [6],
  },
];

/**
 * Seeds the register at start-up when it is empty (every start-up calls it; a register with any decision is
 * left alone, so edits are never overwritten). Each seeded decision gets its version 1 and a decision.created
 * audit event by the system, in one transaction, under the lock that numbers decisions.
 */
export async function ensureDecisionRegister(db: Db, ctx: RequestContext, at: Date): Promise<void> {
  if ((await countDecisions(db)) > 0) return;
  await db.transaction(async (tx) => {
    await lockNumbers(tx);
    if ((await countDecisions(tx)) > 0) return;
    const ids: string[] = [];
    for (const [index, seed] of SEED_DECISIONS.entries()) {
      const { after, ...fields } = seed;
      const dependsOn = after.map((position) => {
        const id = ids[position - 1];
        if (id === undefined) throw new Error(`seed decision ${index + 1} depends on a later one`);
        return id;
      });
      const state: DecisionState = { ...fields, dependsOn };
      const number = index + 1;
      const [row] = await tx
        .insert(decisions)
        .values({
          ...state,
          number,
          version: 1,
          createdAt: at,
          updatedAt: at,
          createdBy: null,
          updatedBy: null,
        })
        .returning({ id: decisions.id });
      if (!row) throw new Error('insert returned no row');
      ids.push(row.id);
      await insertVersion(tx, { decisionId: row.id, version: 1, state, changed: [], at, by: null });
      await audit(tx, ctx, {
        action: 'decision.created',
        targetId: row.id,
        details: { number, title: state.title, owner: state.owner, status: state.status },
      });
    }
  });
}
