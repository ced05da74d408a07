import { randomUUID } from 'node:crypto';
import type { FormQuestion, PublicForm } from '../../../contract/api/forms.ts';
import type { FormTemplate } from '../../../contract/program.ts';
import { TAXONOMY_VERSION } from '../../../contract/taxonomy.ts';
import { AppError, NotFoundError, ValidationError } from '../../errors.ts';
import { ipHash } from '../../plugins/rate-limit.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { insertInsightIfAbsent } from '../insights/insights.repo.ts';
import { type Answer, checkAnswers, toInsightFields } from './forms.answers.ts';
import * as repo from './forms.repo.ts';
import type { FormDeps } from './forms.service.ts';
import { templateOf } from './forms.templates.ts';

/**
 * The anonymous side of feedback forms: what the public page shows, and a response becoming an insight. The
 * slug is the only key; a draft or unknown slug does not exist (404), a form past its closing date, over its
 * cap or closed is gone (410).
 */

export interface PublicDeps extends FormDeps {
  /** The key of the IP hash stored with each response (never the address itself). */
  ipSecret: string;
}

export class FormClosedError extends AppError {
  readonly reason: NonNullable<PublicForm['closedReason']>;
  constructor(reason: NonNullable<PublicForm['closedReason']>) {
    super(410, 'Gone', CLOSED_DETAIL[reason]);
    this.reason = reason;
  }
}

export const CLOSED_DETAIL: Record<NonNullable<PublicForm['closedReason']>, string> = {
  closed: 'This form is closed and no longer accepts responses.',
  past_closing_date: 'This form has passed its closing date and no longer accepts responses.',
  cap_reached: 'This form has received all the responses it was meant to collect.',
};

function toPublic(row: repo.Joined, now: Date): PublicForm {
  const reason = repo.closedReasonOf(row.form, now);
  return {
    slug: row.form.slug,
    title: row.form.title,
    description: row.form.description,
    consentText: row.form.consentText,
    eventName: row.eventName,
    questions: row.form.questions as FormQuestion[],
    accepting: reason === null,
    closedReason: reason === 'draft' ? null : reason,
  };
}

/** Slugs are lower-case by construction; a link typed in capitals still works. */
const normalize = (slug: string) => slug.trim().toLowerCase();

async function findPublished(deps: FormDeps, slug: string): Promise<repo.Joined> {
  const row = await repo.unsafeFindBySlug(deps.db, normalize(slug));
  if (!row || row.form.status === 'draft') throw new NotFoundError('form');
  return row;
}

export async function getPublicForm(deps: FormDeps, slug: string): Promise<PublicForm> {
  return toPublic(await findPublished(deps, slug), deps.now());
}

export interface Submission {
  answers: Record<string, Answer>;
  /** Whether the sender ticked the consent box (the JSON body's schema already insists on it). */
  consent: boolean;
  website?: string | undefined;
}

/**
 * One response, in one transaction: answers checked (400 naming `${prefix}.<questionId>`), a filled honeypot
 * answered like a success with nothing written, then a slot claimed atomically (closed by now: 410), the
 * insight inserted (authored by the form's owner, with its event and session), the response stored with a
 * keyed hash of the sender's IP, and `form.response_received` audited without an actor.
 */
export async function submitResponse(
  deps: PublicDeps,
  ctx: RequestContext,
  slug: string,
  submission: Submission,
  prefix: string,
): Promise<{ received: true; form: PublicForm }> {
  const row = await findPublished(deps, slug);
  const { form } = row;
  const view = toPublic(row, deps.now());
  // Said before the answers are checked: nobody should fix their answers for a form that will refuse them.
  if (view.closedReason) throw new FormClosedError(view.closedReason);
  const questions = form.questions as FormQuestion[];
  const { answers, errors } = checkAnswers(questions, submission.answers, prefix);
  if (!submission.consent)
    errors.push({
      field: prefix.replace(/answers$/, 'consent'),
      message: 'must be accepted to send the form',
    });
  if (errors.length > 0) throw new ValidationError(`Check ${errors.map((e) => e.field).join(', ')}.`, errors);
  if (submission.website && submission.website.trim() !== '') return { received: true, form: view };

  const fields = toInsightFields(questions, answers, {
    type: templateOf(form.template as FormTemplate).insightType,
  });
  const senderHash = ipHash(deps.ipSecret, ctx.ip);
  // The sender is anonymous even when a signed-in browser sends the form, and no raw address is kept.
  const anonymous: RequestContext = { ...ctx, ip: `hash:${senderHash}`, userAgent: null, actor: null };
  await deps.db.transaction(async (tx) => {
    const now = deps.now();
    const count = await repo.claimSlot(tx, form.id, now);
    if (count === null) {
      const current = await repo.unsafeFindById(tx, form.id);
      const reason = current ? repo.closedReasonOf(current.form, now) : 'closed';
      throw new FormClosedError(reason === null || reason === 'draft' ? 'closed' : reason);
    }
    const insightId = randomUUID();
    const responseId = randomUUID();
    await insertInsightIfAbsent(tx, {
      id: insightId,
      authorId: form.ownerId,
      text: fields.text,
      title: form.title,
      type: fields.type,
      productAreas: fields.productAreas,
      sentiment: fields.sentiment,
      priority: fields.priority,
      tags: ['form'],
      developer: fields.developer,
      followUp: false,
      eventId: form.eventId,
      sessionId: form.sessionId,
      source: 'form',
      taxonomyVersion: TAXONOMY_VERSION,
      capturedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await repo.insertResponse(tx, {
      id: responseId,
      formId: form.id,
      insightId,
      answers,
      ipHash: senderHash,
      submittedAt: now,
    });
    await audit(tx, anonymous, {
      action: 'insight.created',
      targetId: insightId,
      details: {
        type: fields.type,
        sentiment: fields.sentiment,
        priority: fields.priority,
        source: 'form',
        eventId: form.eventId,
      },
    });
    await audit(tx, anonymous, {
      action: 'form.response_received',
      targetId: form.id,
      details: { responseId, insightId, responseCount: count },
    });
  });
  return { received: true, form: view };
}
