import { isIP } from 'node:net';
import { AUDIT_CATALOG } from '../../../contract/audit-events.ts';
import type { AuditRow } from './audit.repo.ts';

/**
 * The audit log in an OCSF-compatible shape (Open Cybersecurity Schema Framework 1.3), one JSON object per event,
 * for a SIEM. Four classes, chosen by the action's family (docs/operations/audit.md has the table):
 * Authentication (3002), Account Change (3001), API Activity (6003) and Entity Management (3004). The original
 * event (action, target, details, hashes) rides along in `unmapped`, so nothing is lost in the mapping.
 */
export const OCSF_SCHEMA_VERSION = '1.3.0';
export const OCSF_LOG_NAME = 'builder-insights-audit';
export const OCSF_PRODUCT = { name: 'Builder Insights', vendor_name: 'MongoDB' } as const;

type ClassUid = 3001 | 3002 | 3004 | 6003;

const CLASS_NAMES: Record<ClassUid, string> = {
  3001: 'Account Change',
  3002: 'Authentication',
  3004: 'Entity Management',
  6003: 'API Activity',
};
const CATEGORY_NAMES: Record<number, string> = {
  3: 'Identity & Access Management',
  6: 'Application Activity',
};

/** Activity ids and names per class (OCSF 1.3), only the ones this mapping uses. */
const ACTIVITIES: Record<ClassUid, Record<number, string>> = {
  3001: { 1: 'Create', 2: 'Enable', 5: 'Disable', 7: 'Attach Policy', 8: 'Detach Policy', 99: 'Other' },
  3002: { 1: 'Logon', 2: 'Logoff', 99: 'Other' },
  3004: { 1: 'Create', 3: 'Update', 4: 'Delete', 99: 'Other' },
  6003: { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 99: 'Other' },
};

const SEVERITIES: Record<number, string> = {
  1: 'Informational',
  2: 'Low',
  3: 'Medium',
  4: 'High',
  5: 'Critical',
};

/** Authentication: signing in (SSO, break-glass, a SCIM credential), re-authenticating, and ending sessions. */
const AUTHENTICATION: Record<string, number> = {
  'auth.sign_in.succeeded': 1,
  'auth.sign_in.failed': 1,
  'break_glass.sign_in.succeeded': 1,
  'break_glass.sign_in.failed': 1,
  'scim.auth.failed': 1,
  'auth.step_up.succeeded': 99,
  'auth.step_up.failed': 99,
  'auth.logout': 2,
  'auth.session.ended': 2,
  'auth.global_logout': 2,
};

/** Account Change: who a person is in the app, what they may do, and their credentials. */
const ACCOUNT_CHANGE: Record<string, number> = {
  'person.provisioned': 1,
  'org.person.created': 1,
  'org.person.reactivated': 2,
  'org.person.deactivated': 5,
  'access.exception.decided': 7,
  'access.exception.revoked': 8,
  'access.exception.expired': 8,
  'access.removal.resolved': 8,
};
const ACCOUNT_CHANGE_FAMILIES = [
  'org.person.',
  'auth.session.access_changed',
  'claims_model.',
  'entitlement_rules.',
  'access.exception.',
  'access.review.decided',
  'api_token.',
  'break_glass.enrolled',
  'break_glass.revoked',
  'break_glass.approval.',
];

/** API Activity: a recorded request (refused, made in break-glass, or an export that reads data out). */
const API_ACTIVITY_FAMILIES = [
  'break_glass.request',
  'api_token.refused',
  'access.denied',
  'request.rejected',
  'report.exported',
  'audit.exported',
  'audit.verified',
  'package.exported',
];

const CREATE_VERBS =
  /(created|added|submitted|received|uploaded|learned|seeded|proposed|requested|provisioned|generated|enrolled|issued|archived|sent)$/;
const UPDATE_VERBS =
  /(updated|changed|remapped|triaged|merged|unmerged|dismissed|applied|activated|approved|decided|closed|configured|reminded|linked|resolved|rejected|previewed|drilled)$/;
const DELETE_VERBS = /(deleted|removed|discarded|revoked|pruned|expired)$/;

/** Create / Update / Delete from the action's verb ("event.created" → 1); anything else is Other (99). */
function verbActivity(action: string): number {
  if (CREATE_VERBS.test(action)) return 1;
  if (UPDATE_VERBS.test(action)) return 3;
  if (DELETE_VERBS.test(action)) return 4;
  return 99;
}

const METHOD_ACTIVITY: Record<string, number> = { POST: 1, GET: 2, HEAD: 2, PUT: 3, PATCH: 3, DELETE: 4 };

const matches = (action: string, families: string[]) =>
  families.some((f) => (f.endsWith('.') ? action.startsWith(f) : action === f));

/** Which OCSF class and activity an audit action is (exported for the docs table and the tests). */
export function ocsfClassOf(
  action: string,
  details: Record<string, unknown> = {},
): { classUid: ClassUid; activityId: number } {
  const auth = AUTHENTICATION[action];
  if (auth !== undefined) return { classUid: 3002, activityId: auth };
  if (matches(action, API_ACTIVITY_FAMILIES)) {
    const method = typeof details.method === 'string' ? details.method.toUpperCase() : '';
    const activityId =
      action.endsWith('.exported') || action === 'audit.verified' ? 2 : METHOD_ACTIVITY[method];
    return { classUid: 6003, activityId: activityId ?? 99 };
  }
  if (matches(action, ACCOUNT_CHANGE_FAMILIES))
    return { classUid: 3001, activityId: ACCOUNT_CHANGE[action] ?? 99 };
  return { classUid: 3004, activityId: verbActivity(action) };
}

function severityOf(row: Pick<AuditRow, 'action' | 'outcome'>): number {
  if (row.action === 'audit.verified' && row.outcome === 'failure') return 5;
  if (row.action.startsWith('break_glass.sign_in.')) return 4;
  if (row.action.startsWith('break_glass.') || row.action === 'audit.pruned') return 3;
  return row.outcome === 'failure' ? 2 : 1;
}

const omitEmpty = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== ''));

/** One audit event as an OCSF object (deterministic: the same row always gives the same JSON). */
export function toOcsf(row: AuditRow, productVersion: string): Record<string, unknown> {
  const details = row.details;
  const { classUid, activityId } = ocsfClassOf(row.action, details);
  const className = CLASS_NAMES[classUid];
  const activityName = ACTIVITIES[classUid][activityId] ?? 'Other';
  const categoryUid = Math.floor(classUid / 1000);
  const severityId = severityOf(row);
  const failed = row.outcome === 'failure';
  const description = (AUDIT_CATALOG as Record<string, { description: string }>)[row.action]?.description;
  const subject =
    row.targetType === 'person'
      ? row.targetId
      : typeof details.personId === 'string'
        ? details.personId
        : null;

  const byClass: Record<string, unknown> = {};
  if (classUid === 3002 || classUid === 3001) {
    const uid = subject ?? row.actorId;
    if (uid) byClass.user = { uid };
  }
  if (classUid === 3002 && Array.isArray(details.amr)) byClass.is_mfa = details.amr.includes('mfa');
  if (classUid === 3004) byClass.entity = omitEmpty({ uid: row.targetId, type: row.targetType });
  if (classUid === 6003) {
    byClass.api = omitEmpty({
      operation: row.action,
      request: row.requestId ? { uid: row.requestId } : undefined,
    });
  }

  const user = row.actorId ? omitEmpty({ uid: row.actorId, type: row.actorRole ?? undefined }) : null;
  return {
    class_uid: classUid,
    class_name: className,
    category_uid: categoryUid,
    category_name: CATEGORY_NAMES[categoryUid],
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classUid * 100 + activityId,
    type_name: `${className}: ${activityName}`,
    time: row.occurredAt.getTime(),
    severity_id: severityId,
    severity: SEVERITIES[severityId],
    status_id: failed ? 2 : 1,
    status: failed ? 'Failure' : 'Success',
    ...(failed && typeof details.reason === 'string' ? { status_detail: details.reason } : {}),
    ...(description ? { message: description } : {}),
    actor: omitEmpty({
      user: user ?? undefined,
      session: row.actorSessionId ? { uid: row.actorSessionId } : undefined,
      app_name: user ? undefined : OCSF_PRODUCT.name,
    }),
    ...(row.ip && isIP(row.ip) ? { src_endpoint: { ip: row.ip } } : {}),
    ...(row.userAgent || typeof details.method === 'string'
      ? {
          http_request: omitEmpty({
            user_agent: row.userAgent,
            http_method: typeof details.method === 'string' ? details.method : undefined,
            url: typeof details.route === 'string' ? { path: details.route } : undefined,
          }),
        }
      : {}),
    ...byClass,
    metadata: omitEmpty({
      version: OCSF_SCHEMA_VERSION,
      product: { ...OCSF_PRODUCT, version: productVersion },
      uid: row.id,
      correlation_uid: row.traceId,
      log_name: OCSF_LOG_NAME,
      sequence: row.seq,
    }),
    unmapped: {
      action: row.action,
      target_type: row.targetType,
      target_id: row.targetId,
      details,
      hash: row.hash,
      prev_hash: row.prevHash,
      actor_role: row.actorRole,
      actor_token_id: row.actorTokenId,
      actor_break_glass: row.actorBreakGlass,
      request_id: row.requestId,
      // Not an IP address (e.g. "local" for the CLI and jobs): kept here, so every hashed field is in the line.
      ...(row.ip && !isIP(row.ip) ? { ip: row.ip } : {}),
    },
  };
}

/** One JSON Lines record (no trailing newline inside: JSON.stringify escapes line breaks in strings). */
export function ocsfLine(row: AuditRow, productVersion: string): string {
  return `${JSON.stringify(toOcsf(row, productVersion))}\n`;
}
