import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

/** The content an audit hash covers: every column but seq and the hashes themselves. */
export interface AuditContent {
  id: string;
  occurredAt: Date;
  action: string;
  outcome: 'success' | 'failure';
  actorId: string | null;
  actorSessionId: string | null;
  actorRole: string | null;
  targetType: string;
  targetId: string | null;
  actorTokenId: string | null;
  actorBreakGlass: boolean;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  traceId: string | null;
  details: Record<string, unknown>;
}

/** SHA-256 over the previous hash and the RFC 8785 canonical JSON of the content. */
export function auditHash(prevHash: string, content: AuditContent): string {
  // Columns added after the first release enter the hash only when set, so earlier events keep their hashes.
  const { actorTokenId, actorBreakGlass, ...base } = content;
  const canonical = canonicalize({
    ...base,
    ...(actorTokenId ? { actorTokenId } : {}),
    ...(actorBreakGlass ? { actorBreakGlass } : {}),
    occurredAt: content.occurredAt.toISOString(),
    prevHash,
  });
  if (canonical === undefined) throw new Error('audit content is not serializable');
  return createHash('sha256').update(canonical).digest('hex');
}
