import { z } from 'zod';
import { Problem } from '../problem.ts';
import { IsoDate, IsoDateTime, refuseControlCharacters, Uuid } from './common.ts';

/**
 * The decision register (docs/readiness.md): what the program still has to decide, per workstream, with its
 * direction, owner, status, dependencies, next action and due date. Every edit starts from the version the
 * editor read (a stale one is 409, never last-write-wins) and is kept as a version in the decision's history.
 * Shared by the server and the admin app (dependency-light: no server imports).
 */

/** Identical to DECISION_STATUS_VALUES in src/server/db/schema.governance.ts (a test asserts it). */
export const DECISION_STATUSES = [
  'in_discovery',
  'drafted',
  'needs_decision',
  'needs_validation',
  'blocked',
  'decided',
] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];
export const DecisionStatusSchema = z.enum(DECISION_STATUSES, {
  error: `must be one of ${DECISION_STATUSES.join(', ')}`,
});
export const STATUS_LABEL: Record<DecisionStatus, string> = {
  in_discovery: 'In discovery',
  drafted: 'Drafted',
  needs_decision: 'Needs decision',
  needs_validation: 'Needs validation',
  blocked: 'Blocked',
  decided: 'Decided',
};

/** Bounds of every field (the web form uses them as maxLength). */
export const DECISION_LIMITS = {
  workstream: 120,
  title: 300,
  direction: 4000,
  owner: 200,
  nextAction: 1000,
  dependsOn: 20,
} as const;

/** "DEC-7": the human reference of decision number 7. */
export const decisionRef = (number: number) => `DEC-${number}`;

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const required = (max: number) => text(max).min(1, 'must not be empty');

const PersonRef = z.object({ id: Uuid, name: z.string() });

export const DecisionDependency = z.object({
  id: Uuid,
  ref: z.string(),
  title: z.string(),
  status: DecisionStatusSchema,
});
export type DecisionDependency = z.infer<typeof DecisionDependency>;

export const Decision = z.object({
  id: Uuid,
  number: z.number().int(),
  ref: z.string().describe('DEC-<number>'),
  workstream: z.string(),
  title: z.string(),
  direction: z.string().describe('The chosen or proposed direction (required once decided)'),
  owner: z.string().describe('The accountable owner: a team or a person, as the program names owners'),
  status: DecisionStatusSchema,
  dependsOn: z.array(DecisionDependency).describe('Decisions this one waits for, by number'),
  nextAction: z.string(),
  dueDate: IsoDate.nullable(),
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  updatedBy: PersonRef.nullable().describe('Null when the last change was the start-up seed'),
  overdue: z.boolean().describe('Past its due date (UTC) and not decided'),
});
export type Decision = z.infer<typeof Decision>;

/** A comma list of statuses in one query parameter ("needs_decision,blocked"), validated. */
const StatusList = z
  .string()
  .max(200, 'must be at most 200 characters')
  .transform((value) => [
    ...new Set(
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(DecisionStatusSchema).min(1, 'must name a status').max(DECISION_STATUSES.length));

export const DecisionListQuery = refuseControlCharacters(
  z.strictObject({
    owner: required(DECISION_LIMITS.owner).optional().describe('Exactly this owner'),
    status: StatusList.optional().describe('One status or a comma list (any of them)'),
    workstream: required(DECISION_LIMITS.workstream).optional().describe('Exactly this workstream'),
  }),
);
export type DecisionListQuery = z.input<typeof DecisionListQuery>;

export const DecisionList = z.object({
  items: z.array(Decision).describe('By number'),
  owners: z.array(z.string()).describe('Every owner in the register (for the filter), whatever the filter'),
  workstreams: z.array(z.string()).describe('Every workstream in the register, whatever the filter'),
});
export type DecisionList = z.infer<typeof DecisionList>;

export const DecisionIdParams = z.strictObject({ id: Uuid });

const DependsOn = z
  .array(Uuid)
  .max(DECISION_LIMITS.dependsOn, `must name at most ${DECISION_LIMITS.dependsOn} decisions`);

export const DecisionCreate = refuseControlCharacters(
  z.strictObject({
    workstream: required(DECISION_LIMITS.workstream),
    title: required(DECISION_LIMITS.title),
    direction: text(DECISION_LIMITS.direction).default(''),
    owner: required(DECISION_LIMITS.owner),
    status: DecisionStatusSchema,
    dependsOn: DependsOn.default([]),
    nextAction: text(DECISION_LIMITS.nextAction).default(''),
    dueDate: IsoDate.nullable().default(null),
  }),
);
export type DecisionCreate = z.input<typeof DecisionCreate>;

/** A partial edit: only the fields sent change; `version` is the version the edit started from. */
export const DecisionUpdate = refuseControlCharacters(
  z.strictObject({
    version: z.number().int().min(1),
    workstream: required(DECISION_LIMITS.workstream).optional(),
    title: required(DECISION_LIMITS.title).optional(),
    direction: text(DECISION_LIMITS.direction).optional(),
    owner: required(DECISION_LIMITS.owner).optional(),
    status: DecisionStatusSchema.optional(),
    dependsOn: DependsOn.optional(),
    nextAction: text(DECISION_LIMITS.nextAction).optional(),
    dueDate: IsoDate.nullable().optional(),
  }),
);
export type DecisionUpdate = z.input<typeof DecisionUpdate>;

/** The fields a version records (what an edit may change). */
export const DECISION_FIELDS = [
  'workstream',
  'title',
  'direction',
  'owner',
  'status',
  'dependsOn',
  'nextAction',
  'dueDate',
] as const;
export type DecisionField = (typeof DECISION_FIELDS)[number];

export const DecisionState = z.object({
  workstream: z.string(),
  title: z.string(),
  direction: z.string(),
  owner: z.string(),
  status: DecisionStatusSchema,
  dependsOn: z.array(Uuid),
  nextAction: z.string(),
  dueDate: IsoDate.nullable(),
});
export type DecisionState = z.infer<typeof DecisionState>;

export const DecisionVersion = z.object({
  version: z.number().int(),
  state: DecisionState.describe('The whole decision after this version'),
  changed: z.array(z.string()).describe('Fields changed from the previous version (empty for version 1)'),
  changedAt: IsoDateTime,
  changedBy: PersonRef.nullable().describe('Null for the start-up seed'),
});
export type DecisionVersion = z.infer<typeof DecisionVersion>;

export const DecisionHistory = z.object({
  id: Uuid,
  ref: z.string(),
  items: z.array(DecisionVersion).describe('Newest first, every version'),
});
export type DecisionHistory = z.infer<typeof DecisionHistory>;

/** 409 on an edit from a stale version: who changed it meanwhile, and the decision as it is now. */
export const DecisionEditConflict = Problem.extend({
  current: Decision.optional().describe('The stored decision as it is now (its version is the one to send)'),
  changedBy: PersonRef.nullable().optional().describe('Who made the newest version (null: the seed)'),
});
export type DecisionEditConflict = z.infer<typeof DecisionEditConflict>;
