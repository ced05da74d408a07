import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  FeedbackForm,
  FormCreate,
  FormListQuery,
  FormPage,
  FormQuestion,
  FormResponsePage,
  FormResponseQuery,
  FormTemplateList,
  FormUpdate,
} from '../../../contract/api/forms.ts';
import type { FieldError } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import type { Answer } from './forms.answers.ts';
import { authorizeForms, formManageScope } from './forms.policy.ts';
import * as repo from './forms.repo.ts';
import { DEFAULT_CONSENT_TEXT, templateList, templateOf } from './forms.templates.ts';

export interface FormDeps {
  db: Db;
  now: () => Date;
  /** The deployment's public origin: what the public page's URL (and its QR code) starts with. */
  publicUrl: string;
}

type CreateInput = z.output<typeof FormCreate>;
type UpdateInput = z.output<typeof FormUpdate>;

/** A 409 that names the field, like a 400 would (the client shows it beside the input). */
const conflictOn = (detail: string, errors: FieldError[]) => new ConflictError(detail, { errors });
const slugInUse = (slug: string) =>
  conflictOn(`The address /f/${slug} is already used by another form. Choose another slug.`, [
    { field: 'body.slug', message: 'is already in use' },
  ]);

/** "DevDay Chicago: feedback!" → "devday-chicago-feedback-k3x9q2": readable, and not guessable from the title. */
export function generateSlug(title: string): string {
  const base =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'form';
  const suffix = randomBytes(8)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 6);
  return `${base}-${suffix.padEnd(6, '0')}`;
}

/** The event and session a form links must exist, and the session must be one of the event's: 400 naming it. */
async function checkEventLink(db: Db, eventId: string | null, sessionId: string | null): Promise<void> {
  if (sessionId && !eventId)
    throw new ValidationError('A session needs its event.', [
      { field: 'body.eventId', message: 'is required when sessionId is given' },
    ]);
  if (!eventId) return;
  const found = await repo.findEventSession(db, eventId, sessionId);
  if (!found.event)
    throw new ValidationError('Unknown event.', [{ field: 'body.eventId', message: 'no such event' }]);
  if (!found.session)
    throw new ValidationError('Unknown session.', [
      { field: 'body.sessionId', message: 'no such session in this event' },
    ]);
}

async function readBack(deps: FormDeps, id: string): Promise<FeedbackForm> {
  const row = await repo.unsafeFindById(deps.db, id);
  if (!row) throw new NotFoundError('feedback form');
  return repo.toFeedbackForm(row, deps.now(), deps.publicUrl);
}

/** GET /api/v1/forms/templates: for whoever may build forms. */
export function formTemplates(ctx: RequestContext): FormTemplateList {
  authorizeForms(requireActor(ctx));
  return templateList();
}

/**
 * POST /api/v1/forms: a draft owned by the caller. The questions default to the template's, the consent text
 * to the standard one, the slug to one generated from the title (a taken slug someone chose is a 409 naming
 * body.slug; a generated one that collides is simply generated again).
 */
export async function createForm(
  deps: FormDeps,
  ctx: RequestContext,
  input: CreateInput,
): Promise<FeedbackForm> {
  const actor = requireActor(ctx);
  authorizeForms(actor);
  const template = templateOf(input.template);
  const eventId = input.eventId ?? null;
  const sessionId = input.sessionId ?? null;
  await checkEventLink(deps.db, eventId, sessionId);
  const id = randomUUID();
  for (let attempt = 0; ; attempt += 1) {
    const slug = input.slug ?? generateSlug(input.title);
    try {
      await deps.db.transaction(async (tx) => {
        if (await repo.slugTaken(tx, slug)) throw slugInUse(slug);
        const now = deps.now();
        await repo.insertForm(tx, {
          id,
          slug,
          title: input.title,
          description: input.description ?? null,
          consentText: input.consentText ?? DEFAULT_CONSENT_TEXT,
          template: input.template,
          questions: input.questions ?? template.questions,
          ownerId: actor.personId,
          eventId,
          sessionId,
          status: 'draft',
          closesAt: input.closesAt ? new Date(input.closesAt) : null,
          responseCap: input.responseCap ?? null,
          createdAt: now,
          updatedAt: now,
        });
        await audit(tx, ctx, {
          action: 'form.created',
          targetId: id,
          details: { slug, template: input.template, eventId },
        });
      });
      break;
    } catch (err) {
      const taken = err instanceof ConflictError || repo.slugViolation(err);
      if (!taken) throw err;
      if (input.slug !== undefined || attempt >= 4) throw slugInUse(slug);
    }
  }
  return readBack(deps, id);
}

export async function listForms(
  deps: FormDeps,
  ctx: RequestContext,
  query: z.output<typeof FormListQuery>,
): Promise<FormPage> {
  const actor = requireActor(ctx);
  authorizeForms(actor);
  const after = query.cursor ? repo.decodeCursor(query.cursor) : null;
  const page = await repo.listManaged(
    deps.db,
    formManageScope(actor),
    { status: query.status, eventId: query.eventId },
    query.limit,
    after,
  );
  const now = deps.now();
  return {
    items: page.items.map((row) => repo.toFeedbackForm(row, now, deps.publicUrl)),
    nextCursor: page.next ? repo.encodeCursor(page.next) : null,
  };
}

export async function getForm(deps: FormDeps, ctx: RequestContext, id: string): Promise<FeedbackForm> {
  const actor = requireActor(ctx);
  authorizeForms(actor);
  const row = await repo.findManaged(deps.db, formManageScope(actor), id);
  if (!row) throw new NotFoundError('feedback form');
  return repo.toFeedbackForm(row, deps.now(), deps.publicUrl);
}

const labelBefore = (before: Map<string, FormQuestion>, id: string) => before.get(id)?.label ?? id;

/**
 * Questions that already have answers stay answerable as they were answered: such a question may get a new
 * label, help or options, but it may not be removed (409 on body.questions, the message naming its id) or
 * change its type (409 on body.questions.<index>.type, the path the request validator would use).
 */
function checkAnsweredQuestions(
  next: readonly FormQuestion[],
  previous: readonly FormQuestion[],
  answered: Set<string>,
) {
  const errors: FieldError[] = [];
  const before = new Map(previous.map((q) => [q.id, q]));
  for (const id of answered) {
    const now = next.findIndex((q) => q.id === id);
    if (now === -1 && before.has(id))
      errors.push({
        field: 'body.questions',
        message: `question "${id}" ("${labelBefore(before, id)}") has answers; keep it (you may reword it)`,
      });
    const was = before.get(id);
    const is = next[now];
    if (was && is && was.type !== is.type)
      errors.push({
        field: `body.questions.${now}.type`,
        message: `question ${id} has answers as ${was.type}; its type cannot change`,
      });
  }
  if (errors.length > 0)
    throw conflictOn('Questions that already have answers cannot be removed or change type.', errors);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * PATCH /api/v1/forms/:id with the version the edit started from (stale: 409). Only fields that change are
 * written and audited; an edit that changes nothing answers the form as it is. A form with responses cannot go
 * back to draft, and its cap cannot drop below the responses it has.
 */
export async function updateForm(
  deps: FormDeps,
  ctx: RequestContext,
  id: string,
  input: UpdateInput,
): Promise<FeedbackForm> {
  const actor = requireActor(ctx);
  authorizeForms(actor);
  await deps.db.transaction(async (tx) => {
    const found = await repo.findManaged(tx, formManageScope(actor), id, true);
    if (!found) throw new NotFoundError('feedback form');
    const { form } = found;
    if (input.version !== form.version)
      throw new ConflictError(
        `This form was changed by someone else (now version ${form.version}, your edit started from ${input.version}). Reload it and edit again.`,
      );
    const changes: Partial<repo.FormRow> = {};
    const set = <K extends keyof repo.FormRow>(key: K, value: repo.FormRow[K] | undefined) => {
      if (value !== undefined && !same(value, form[key])) changes[key] = value;
    };
    set('title', input.title);
    set('description', input.description === undefined ? undefined : input.description || null);
    set('consentText', input.consentText);
    set('status', input.status);
    set('responseCap', input.responseCap);
    set(
      'closesAt',
      input.closesAt === undefined ? undefined : input.closesAt ? new Date(input.closesAt) : null,
    );
    const eventId = input.eventId === undefined ? form.eventId : input.eventId;
    // A form moved to another event (or to none) loses a session it did not name again.
    const sessionId =
      input.sessionId !== undefined ? input.sessionId : eventId === form.eventId ? form.sessionId : null;
    set('eventId', eventId);
    set('sessionId', sessionId);
    if ('eventId' in changes || 'sessionId' in changes) await checkEventLink(tx, eventId, sessionId);
    if (input.questions !== undefined && !same(input.questions, form.questions)) {
      checkAnsweredQuestions(
        input.questions,
        form.questions as FormQuestion[],
        await repo.answeredQuestionIds(tx, id),
      );
      changes.questions = input.questions;
    }
    if (changes.status === 'draft' && form.responseCount > 0)
      throw conflictOn('This form has responses and cannot go back to draft; close it instead.', [
        { field: 'body.status', message: 'cannot be draft once the form has responses' },
      ]);
    if (changes.responseCap != null && changes.responseCap < form.responseCount)
      throw new ValidationError('The cap is below the responses already received.', [
        {
          field: 'body.responseCap',
          message: `must be at least ${form.responseCount}, the responses already received`,
        },
      ]);
    const changed = Object.keys(changes);
    if (changed.length === 0) return;
    const toVersion = form.version + 1;
    await repo.updateForm(tx, id, { ...changes, version: toVersion, updatedAt: deps.now() });
    await audit(tx, ctx, {
      action: 'form.updated',
      targetId: id,
      details: { fromVersion: form.version, toVersion, changed, status: changes.status ?? form.status },
    });
  });
  return readBack(deps, id);
}

/** DELETE /api/v1/forms/:id: only a form nobody answered (the responses are insights' provenance). */
export async function deleteForm(deps: FormDeps, ctx: RequestContext, id: string): Promise<void> {
  const actor = requireActor(ctx);
  authorizeForms(actor);
  await deps.db.transaction(async (tx) => {
    const found = await repo.findManaged(tx, formManageScope(actor), id, true);
    if (!found) throw new NotFoundError('feedback form');
    if (found.form.responseCount > 0)
      throw new ConflictError(
        `This form has ${found.form.responseCount} responses and cannot be deleted; close it instead.`,
      );
    await repo.deleteForm(tx, id);
    await audit(tx, ctx, { action: 'form.deleted', targetId: id, details: { slug: found.form.slug } });
  });
}

export async function listResponses(
  deps: FormDeps,
  ctx: RequestContext,
  id: string,
  query: z.output<typeof FormResponseQuery>,
): Promise<FormResponsePage> {
  const actor = requireActor(ctx);
  authorizeForms(actor);
  const form = await repo.findManaged(deps.db, formManageScope(actor), id);
  if (!form) throw new NotFoundError('feedback form');
  const after = query.cursor ? repo.decodeCursor(query.cursor) : null;
  const page = await repo.listResponses(deps.db, id, query.limit, after);
  return {
    items: page.items.map((r) => ({
      id: r.id,
      submittedAt: r.submittedAt.toISOString(),
      answers: r.answers as Record<string, Answer>,
      insightId: r.insightId,
    })),
    nextCursor: page.next ? repo.encodeCursor(page.next) : null,
  };
}
