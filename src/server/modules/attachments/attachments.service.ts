import { createHash } from 'node:crypto';
import type { Attachment, AttachmentKind, AttachmentList } from '../../../contract/api/capture.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeInsight, authorizeInsightEdit, insightReadScope } from '../insights/insights.policy.ts';
import * as repo from './attachments.repo.ts';
import { checkMedia, TYPES_OF_KIND } from './media.sniff.ts';

export interface AttachmentDeps {
  db: Db;
  now: () => Date;
}

export interface Upload {
  insightId: string;
  attachmentId: string;
  kind: AttachmentKind;
  /** The bare media type the client declared (parameters removed). */
  declaredType: string;
  bytes: Buffer;
}

const ID_IN_USE =
  'This attachment id is already used for another insight or other content. Generate a new id for this file.';

/**
 * Attach a photo or recording to an insight, idempotent on the client-generated attachment id. Authorization
 * is the insight's: it must be in the caller's read scope (else 404, revealing nothing) and the caller must
 * be allowed to edit it (author, or a manager/admin in scope; else 403). The bytes must be what they claim
 * (sniffed). The first upload stores them with their audit event in one transaction; the same id with the same
 * insight and content again returns the stored attachment (a phone resending after a dropped connection); the
 * same id for anything else is a 409.
 */
export async function uploadAttachment(
  deps: AttachmentDeps,
  ctx: RequestContext,
  upload: Upload,
): Promise<{ attachment: Attachment; created: boolean }> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'update');
  const scope = insightReadScope(actor);
  const insight = await repo.findInsightInScope(deps.db, scope, upload.insightId);
  if (!insight) throw new NotFoundError('insight');
  authorizeInsightEdit(actor, { author: { id: insight.authorId } });
  const contentType = checkMedia(upload.declaredType, TYPES_OF_KIND[upload.kind], upload.bytes);
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');

  const sameUpload = (found: { insightId: string; sha256: string }) =>
    found.insightId === upload.insightId && found.sha256 === sha256;

  const created = await deps.db.transaction(async (tx) => {
    await repo.lockInsight(tx, upload.insightId);
    const existing = await repo.unsafeFindAttachmentIdentity(tx, upload.attachmentId);
    if (existing) {
      if (sameUpload(existing)) return false;
      throw new ConflictError(ID_IN_USE);
    }
    if ((await repo.countAttachments(tx, upload.insightId)) >= LIMITS.attachmentsPerInsight) {
      throw new ConflictError(
        `This insight already has ${LIMITS.attachmentsPerInsight} attachments, the most it can have.`,
      );
    }
    const inserted = await repo.insertAttachmentIfAbsent(tx, {
      id: upload.attachmentId,
      insightId: upload.insightId,
      uploadedBy: actor.personId,
      kind: upload.kind,
      contentType,
      byteSize: upload.bytes.length,
      sha256,
      data: upload.bytes,
      createdAt: deps.now(),
    });
    if (!inserted) {
      // The same id landed for another insight a moment ago (this insight's lock does not cover that one).
      const winner = await repo.unsafeFindAttachmentIdentity(tx, upload.attachmentId);
      if (winner && sameUpload(winner)) return false;
      throw new ConflictError(ID_IN_USE);
    }
    await audit(tx, ctx, {
      action: 'insight.attachment_added',
      targetId: upload.insightId,
      details: {
        attachmentId: upload.attachmentId,
        kind: upload.kind,
        contentType,
        byteSize: upload.bytes.length,
        sha256,
      },
    });
    return true;
  });

  const attachment = await repo.findAttachment(deps.db, scope, upload.insightId, upload.attachmentId);
  if (!attachment) throw new NotFoundError('attachment');
  return { attachment, created };
}

/** The attachments of an insight in the caller's read scope (metadata only; 404 outside it). */
export async function listAttachments(
  deps: AttachmentDeps,
  ctx: RequestContext,
  insightId: string,
): Promise<AttachmentList> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'read');
  const insight = await repo.findInsightInScope(deps.db, insightReadScope(actor), insightId);
  if (!insight) throw new NotFoundError('insight');
  return { items: await repo.listAttachments(deps.db, insightId) };
}

/** The stored bytes of one attachment; 404 when it does not exist or its insight is outside the read scope. */
export async function readAttachmentBytes(
  deps: AttachmentDeps,
  ctx: RequestContext,
  insightId: string,
  attachmentId: string,
) {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'read');
  const file = await repo.findAttachmentBytes(deps.db, insightReadScope(actor), insightId, attachmentId);
  if (!file) throw new NotFoundError('attachment');
  return file;
}
