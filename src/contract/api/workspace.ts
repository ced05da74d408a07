import { z } from 'zod';
import { IsoDate, IsoDateTime, refuseControlCharacters, Uuid } from './common.ts';
import { DECISION_STATUSES, type DecisionStatus, STATUS_LABEL } from './decisions.ts';
import { GateStatusSchema, VERDICTS } from './readiness.ts';

/**
 * The program workspace (docs/readiness.md): the phases of "Deliver 3" whose exit criteria are readiness gates,
 * the workstreams, the risks (a risk at level "blocker" while open or mitigating blocks the rollout verdict),
 * and comments with @mentions on decisions, risks, workstreams and phases. Shared by the server and the web.
 */

/** The program's status vocabulary (the decision register's). */
export const WORKSTREAM_STATUSES = DECISION_STATUSES;
export type WorkstreamStatus = DecisionStatus;
export const WORKSTREAM_STATUS_LABEL = STATUS_LABEL;

export const RISK_LEVELS = ['low', 'medium', 'high', 'blocker'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_STATUSES = ['open', 'mitigating', 'accepted', 'closed'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];
export const RISK_LEVEL_LABEL: Record<RiskLevel, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  blocker: 'Blocker',
};
export const RISK_STATUS_LABEL: Record<RiskStatus, string> = {
  open: 'Open',
  mitigating: 'Mitigating',
  accepted: 'Accepted',
  closed: 'Closed',
};
/** A blocker in one of these statuses blocks the rollout verdict (the readiness engine reads the same rule). */
export const BLOCKING_RISK_STATUSES: readonly RiskStatus[] = ['open', 'mitigating'];

export const PHASE_STATES = ['complete', 'current', 'upcoming'] as const;
export type PhaseState = (typeof PHASE_STATES)[number];
/** The last phase: its exit criterion is the readiness verdict itself (plus any exit gates it lists). */
export const ROLLOUT_PHASE_ID = 'rollout-gate';

/**
 * An @mention: `@` after whitespace or punctuation (not inside an e-mail address), then the local part of a
 * person's e-mail, not ending in a dot. Source only: build a new RegExp(MENTION_SOURCE, 'gi') per use.
 */
export const MENTION_SOURCE = '(?<![\\w.@])@([a-z0-9](?:[a-z0-9._%+-]*[a-z0-9])?)';

export const COMMENT_TARGET_TYPES = ['decision', 'risk', 'workstream', 'phase'] as const;
export type CommentTargetType = (typeof COMMENT_TARGET_TYPES)[number];

export const WORKSPACE_LIMITS = {
  name: 200,
  owner: 200,
  description: 4000,
  mitigation: 4000,
  commentBody: 4000,
  exitGates: 50,
  gateId: 100,
  phaseId: 64,
  comments: 200,
  mentionsFeed: 50,
  mentionsPerComment: 20,
} as const;

const PersonRef = z.object({ id: Uuid, name: z.string() });

export const PhaseGate = z.object({
  id: z.string(),
  /** The gate's title in the readiness catalog; the id when the catalog no longer has this gate. */
  title: z.string(),
  /** Live, from the readiness report; a gate the report does not know fails. */
  status: GateStatusSchema,
});
export type PhaseGate = z.infer<typeof PhaseGate>;

export const Phase = z.object({
  id: z.string(),
  position: z.number().int(),
  name: z.string(),
  description: z.string(),
  owner: z.string(),
  targetDate: IsoDate.nullable(),
  exitGates: z.array(PhaseGate),
  /**
   * The rollout-gate phase only: the live readiness verdict, its final exit criterion (complete when go or go
   * with known issues and its exit gates pass). Null on the other phases.
   */
  verdict: z.enum(VERDICTS).nullable(),
  /** complete: every exit criterion passes; current: the first phase that is not complete; then upcoming. */
  state: z.enum(PHASE_STATES),
  version: z.number().int(),
  updatedAt: IsoDateTime,
});
export type Phase = z.infer<typeof Phase>;

export const Workstream = z.object({
  id: Uuid,
  name: z.string(),
  owner: z.string(),
  description: z.string(),
  status: z.enum(WORKSTREAM_STATUSES),
  phaseId: z.string().nullable(),
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Workstream = z.infer<typeof Workstream>;

export const Risk = z.object({
  id: Uuid,
  title: z.string(),
  description: z.string(),
  level: z.enum(RISK_LEVELS),
  status: z.enum(RISK_STATUSES),
  mitigation: z.string(),
  owner: z.string(),
  workstream: z.object({ id: Uuid, name: z.string() }).nullable(),
  /** Level blocker and open or mitigating: the rollout verdict is no-go while this is true. */
  blocking: z.boolean(),
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Risk = z.infer<typeof Risk>;
export const RiskList = z.object({ items: z.array(Risk) });
export type RiskList = z.infer<typeof RiskList>;

export const Mention = PersonRef.extend({
  /** The handle as written, without the @ (the local part of the person's e-mail). */
  handle: z.string(),
});
export type Mention = z.infer<typeof Mention>;

export const Comment = z.object({
  id: Uuid,
  targetType: z.enum(COMMENT_TARGET_TYPES),
  targetId: z.string(),
  author: PersonRef.nullable(),
  body: z.string(),
  mentions: z.array(Mention),
  createdAt: IsoDateTime,
});
export type Comment = z.infer<typeof Comment>;
export const CommentList = z.object({ items: z.array(Comment) });
export type CommentList = z.infer<typeof CommentList>;

/** A comment that mentions you, with what it is about. */
export const MentionedComment = Comment.extend({ targetLabel: z.string() });
export type MentionedComment = z.infer<typeof MentionedComment>;
export const MentionFeed = z.object({ items: z.array(MentionedComment) });
export type MentionFeed = z.infer<typeof MentionFeed>;

export const Workspace = z.object({
  evaluatedAt: IsoDateTime,
  verdict: z.enum(VERDICTS),
  phases: z.array(Phase),
  workstreams: z.array(Workstream),
  risks: z.array(Risk),
  /** Risks at level blocker that are open or mitigating. */
  openBlockers: z.number().int(),
});
export type Workspace = z.infer<typeof Workspace>;

// ---- Inputs ----

const required = (max: number) =>
  z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const Version = z.number().int().min(1).describe('The version you read; a stale one is 409');

export const PhaseIdParams = z.strictObject({ id: z.string().min(1).max(WORKSPACE_LIMITS.phaseId) });
export const IdParams = z.strictObject({ id: Uuid });

export const PhaseUpdate = refuseControlCharacters(
  z.strictObject({
    owner: required(WORKSPACE_LIMITS.owner).optional(),
    description: text(WORKSPACE_LIMITS.description).optional(),
    targetDate: IsoDate.nullable().optional(),
    exitGates: z
      .array(z.string().trim().min(1).max(WORKSPACE_LIMITS.gateId))
      .max(WORKSPACE_LIMITS.exitGates, `must list at most ${WORKSPACE_LIMITS.exitGates} gates`)
      .optional()
      .describe('Readiness gate ids (each must be in the readiness catalog); replaces the list'),
    version: Version,
  }),
);
export type PhaseUpdate = z.infer<typeof PhaseUpdate>;

export const WorkstreamCreate = refuseControlCharacters(
  z.strictObject({
    name: required(WORKSPACE_LIMITS.name),
    owner: required(WORKSPACE_LIMITS.owner),
    description: text(WORKSPACE_LIMITS.description).default(''),
    status: z.enum(WORKSTREAM_STATUSES),
    phaseId: z.string().max(WORKSPACE_LIMITS.phaseId).nullable().default(null),
  }),
);
export type WorkstreamCreate = z.input<typeof WorkstreamCreate>;

export const WorkstreamUpdate = refuseControlCharacters(
  z.strictObject({
    name: required(WORKSPACE_LIMITS.name).optional(),
    owner: required(WORKSPACE_LIMITS.owner).optional(),
    description: text(WORKSPACE_LIMITS.description).optional(),
    status: z.enum(WORKSTREAM_STATUSES).optional(),
    phaseId: z.string().max(WORKSPACE_LIMITS.phaseId).nullable().optional(),
    version: Version,
  }),
);
export type WorkstreamUpdate = z.infer<typeof WorkstreamUpdate>;

export const RiskCreate = refuseControlCharacters(
  z.strictObject({
    title: required(WORKSPACE_LIMITS.name),
    description: text(WORKSPACE_LIMITS.description).default(''),
    level: z.enum(RISK_LEVELS),
    status: z.enum(RISK_STATUSES).default('open'),
    mitigation: text(WORKSPACE_LIMITS.mitigation).default(''),
    owner: required(WORKSPACE_LIMITS.owner),
    workstreamId: Uuid.nullable().default(null),
  }),
);
export type RiskCreate = z.input<typeof RiskCreate>;

export const RiskUpdate = refuseControlCharacters(
  z.strictObject({
    title: required(WORKSPACE_LIMITS.name).optional(),
    description: text(WORKSPACE_LIMITS.description).optional(),
    level: z.enum(RISK_LEVELS).optional(),
    status: z.enum(RISK_STATUSES).optional(),
    mitigation: text(WORKSPACE_LIMITS.mitigation).optional(),
    owner: required(WORKSPACE_LIMITS.owner).optional(),
    workstreamId: Uuid.nullable().optional(),
    version: Version,
  }),
);
export type RiskUpdate = z.infer<typeof RiskUpdate>;

export const RiskListQuery = refuseControlCharacters(
  z.strictObject({
    level: z.enum(RISK_LEVELS).optional(),
    status: z.enum(RISK_STATUSES).optional(),
  }),
);
export type RiskListQuery = z.infer<typeof RiskListQuery>;

/** Which thread: a decision, risk or workstream by UUID, a phase by its id (identity-org, …). */
export const CommentTarget = refuseControlCharacters(
  z.strictObject({
    targetType: z.enum(COMMENT_TARGET_TYPES),
    targetId: z.string().trim().min(1, 'is required').max(WORKSPACE_LIMITS.phaseId),
  }),
);
export type CommentTarget = z.infer<typeof CommentTarget>;

export const CommentInput = refuseControlCharacters(
  z.strictObject({
    body: required(WORKSPACE_LIMITS.commentBody).describe(
      '@first.last mentions (the local part of a person’s e-mail) are resolved to people when written; ' +
        'unknown handles stay plain text',
    ),
  }),
);
export type CommentInput = z.infer<typeof CommentInput>;
