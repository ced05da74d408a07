import { z } from 'zod';

/**
 * Audit events of governance (docs/readiness.md): readiness snapshots, manual-gate attestations, operational
 * records, the decision register, the program workspace and generated audience packages. Part of the one
 * catalog (audit-events.ts); kept apart to keep files small.
 */
const counts = z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int() });
const versions = {
  fromVersion: z.number().int(),
  toVersion: z.number().int(),
  changed: z.array(z.string()).describe('Names of the fields that changed'),
};

export const GOVERNANCE_AUDIT_EVENTS = {
  'readiness.snapshot.created': {
    targetType: 'readiness_snapshot',
    description:
      'The readiness model was evaluated and the result kept as a snapshot (api, cli, job or package).',
    details: z.object({
      verdict: z.enum(['go', 'go_with_known_issues', 'no_go']),
      environment: z.string(),
      trigger: z.enum(['api', 'cli', 'job', 'package']),
      counts,
    }),
  },
  'readiness.attestation.updated': {
    targetType: 'readiness_gate',
    description:
      "A manual gate's attestation was set or renewed (fromVersion 0: the first one), with owner, status and expiry.",
    details: z.object({
      status: z.enum(['pass', 'warn', 'fail']),
      owner: z.string(),
      evidenceUrl: z.string(),
      expiresAt: z.string(),
      fromVersion: z.number().int(),
      toVersion: z.number().int(),
    }),
  },
  'readiness.attestation.revoked': {
    targetType: 'readiness_gate',
    description: "A manual gate's attestation was withdrawn; the gate fails until it is attested again.",
    details: z.object({ status: z.enum(['pass', 'warn', 'fail']), owner: z.string() }),
  },
  'readiness.record.added': {
    targetType: 'readiness_record',
    description: 'A deployment verification or rollback drill was recorded (by an admin, or by the CLI).',
    details: z.object({
      kind: z.enum(['deployment_verification', 'rollback_drill']),
      environment: z.string(),
      outcome: z.enum(['passed', 'failed']),
      performedAt: z.string(),
    }),
  },
  'decision.created': {
    targetType: 'decision',
    description: 'A decision was added to the register (or seeded from the program decision map).',
    details: z.object({ number: z.number().int(), title: z.string(), owner: z.string(), status: z.string() }),
  },
  'decision.updated': {
    targetType: 'decision',
    description:
      'A decision was edited from the version the editor read; the new version is kept in its history.',
    details: z.object({ number: z.number().int(), status: z.string(), ...versions }),
  },
  'program_phase.updated': {
    targetType: 'program_phase',
    description: "A program phase's owner, target date, description or exit gates changed.",
    details: z.object(versions),
  },
  'workstream.created': {
    targetType: 'workstream',
    description: 'A workstream was added to the program workspace.',
    details: z.object({ name: z.string(), owner: z.string(), status: z.string() }),
  },
  'workstream.updated': {
    targetType: 'workstream',
    description: 'A workstream was edited.',
    details: z.object({ name: z.string(), ...versions }),
  },
  'risk.created': {
    targetType: 'risk',
    description: 'A risk was added (level "blocker" while open or mitigating blocks the rollout verdict).',
    details: z.object({ title: z.string(), level: z.string(), status: z.string(), owner: z.string() }),
  },
  'risk.updated': {
    targetType: 'risk',
    description: 'A risk was edited (level, status, mitigation, owner…).',
    details: z.object({ level: z.string(), status: z.string(), ...versions }),
  },
  'program_comment.created': {
    targetType: 'program_comment',
    description:
      'A comment was posted on a decision, risk, workstream or phase; mentions are the people @named.',
    details: z.object({
      targetType: z.enum(['decision', 'risk', 'workstream', 'phase']),
      targetId: z.string(),
      mentions: z.array(z.string()).describe('Person ids mentioned'),
    }),
  },
  'package.generated': {
    targetType: 'audience_package',
    description:
      'An audience package was generated from live state; the SHA-256 of each rendering is recorded here so a ' +
      'stored package can be checked against the audit log.',
    details: z.object({
      audience: z.enum(['leadership', 'product', 'security', 'platform']),
      snapshotId: z.string().nullable(),
      hashes: z.object({ markdown: z.string(), html: z.string(), pdf: z.string(), package: z.string() }),
    }),
  },
  'package.exported': {
    targetType: 'audience_package',
    description: 'A stored audience package was downloaded (format: markdown, html or pdf).',
    details: z.object({
      audience: z.enum(['leadership', 'product', 'security', 'platform']),
      format: z.enum(['markdown', 'html', 'pdf']),
    }),
  },
} as const;
