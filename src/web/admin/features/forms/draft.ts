import {
  type FeedbackForm,
  FormCreate,
  type FormQuestion,
  type FormUpdate,
  FormUpdate as FormUpdateSchema,
} from '../../../../contract/api/forms.ts';
import type { FormQuestionType, FormTemplate } from '../../../../contract/program.ts';
import { ApiError } from '../../../ui/api.ts';

/**
 * The builder's working copy of a form. Text fields stay strings while typing (an empty cap or closing date
 * means "none"); toCreate / toUpdate turn it into the request body, and check it with the contract's own zod
 * schemas, so the builder refuses exactly what the server would.
 */
export interface QuestionDraft {
  id: string;
  type: FormQuestionType;
  label: string;
  help: string;
  required: boolean;
  options: string[];
}

export interface EventChoice {
  id: string;
  name: string;
}

export interface FormDraft {
  template: FormTemplate;
  title: string;
  description: string;
  consentText: string;
  slug: string;
  event: EventChoice | null;
  sessionId: string;
  /** `YYYY-MM-DDTHH:mm` in the browser's time zone (a datetime-local input), '' for none. */
  closesAt: string;
  responseCap: string;
  questions: QuestionDraft[];
}

/** Field → message; keys are contract paths ("title", "questions.2.options"). */
export type FieldErrors = Record<string, string>;

export const isChoice = (type: FormQuestionType) => type === 'single_choice' || type === 'multi_choice';

export function questionDraft(question: FormQuestion): QuestionDraft {
  return {
    id: question.id,
    type: question.type,
    label: question.label,
    help: question.help ?? '',
    required: question.required,
    options: question.options ?? [],
  };
}

/** A key no other question uses: answers are stored under it, so it never changes once saved. */
export function freshQuestionId(questions: readonly QuestionDraft[]): string {
  const taken = new Set(questions.map((q) => q.id));
  let n = questions.length + 1;
  while (taken.has(`q${n}`)) n += 1;
  return `q${n}`;
}

export function newQuestion(questions: readonly QuestionDraft[]): QuestionDraft {
  return {
    id: freshQuestionId(questions),
    type: 'short_text',
    label: '',
    help: '',
    required: false,
    options: [],
  };
}

/** An ISO date-time as the value of a datetime-local input (local time, minutes). */
export function toLocalInput(iso: string | null): string {
  if (iso === null) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The draft of a saved form, for editing it. */
export function draftOf(form: FeedbackForm): FormDraft {
  return {
    template: form.template,
    title: form.title,
    description: form.description ?? '',
    consentText: form.consentText,
    slug: form.slug,
    event: form.event,
    sessionId: form.session?.id ?? '',
    closesAt: toLocalInput(form.closesAt),
    responseCap: form.responseCap === null ? '' : String(form.responseCap),
    questions: form.questions.map(questionDraft),
  };
}

function questionBody(q: QuestionDraft): FormQuestion {
  const help = q.help.trim();
  return {
    id: q.id,
    type: q.type,
    label: q.label,
    help: help === '' ? null : help,
    required: q.required,
    ...(isChoice(q.type) ? { options: q.options } : {}),
  };
}

/** The fields both bodies share; a value the contract cannot hold is passed on as is for zod to name. */
function common(draft: FormDraft) {
  const description = draft.description.trim();
  const closes = draft.closesAt === '' ? null : new Date(draft.closesAt);
  const cap = draft.responseCap.trim();
  return {
    title: draft.title,
    description: description === '' ? null : description,
    consentText: draft.consentText,
    eventId: draft.event?.id ?? null,
    sessionId: draft.event === null || draft.sessionId === '' ? null : draft.sessionId,
    closesAt: closes === null ? null : Number.isNaN(closes.getTime()) ? draft.closesAt : closes.toISOString(),
    responseCap: cap === '' ? null : Number(cap),
    questions: draft.questions.map(questionBody),
  };
}

type Checked<T> = { ok: true; body: T } | { ok: false; errors: FieldErrors };

function check<T>(
  schema: { safeParse: (v: unknown) => { success: true } | { success: false; error: { issues: Issue[] } } },
  body: T,
  draft: FormDraft,
): Checked<T> {
  const errors: FieldErrors = {};
  const result = schema.safeParse(body);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || 'form';
      errors[key] ??= issue.message;
    }
  }
  if (draft.closesAt !== '' && !errors.closesAt) {
    const closes = new Date(draft.closesAt).getTime();
    if (Number.isNaN(closes)) errors.closesAt = 'must be a date and time';
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body };
}

interface Issue {
  path: PropertyKey[];
  message: string;
}

export function toCreate(draft: FormDraft): Checked<FormCreate> {
  const slug = draft.slug.trim();
  const body: FormCreate = { ...common(draft), template: draft.template, ...(slug === '' ? {} : { slug }) };
  return check(FormCreate, body, draft);
}

export function toUpdate(draft: FormDraft, version: number): Checked<FormUpdate> {
  return check(FormUpdateSchema, { ...common(draft), version }, draft);
}

/** The server's field errors ("body.questions.1.label") keyed like the builder's own checks. */
export function serverFieldErrors(error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!(error instanceof ApiError)) return errors;
  for (const item of error.fieldErrors) {
    const key = item.field.replace(/^body\.?/, '') || 'form';
    errors[key] ??= item.message;
  }
  return errors;
}

/** Human names for the error keys the builder shows in its summary. */
export function fieldTitle(key: string, questions: readonly QuestionDraft[]): string {
  const question = /^questions\.(\d+)(?:\.(\w+))?/.exec(key);
  if (question !== null) {
    const n = Number(question[1]);
    const part = question[2] === undefined ? '' : ` (${question[2] === 'options' ? 'choices' : question[2]})`;
    return `Question ${n + 1}${questions[n]?.label ? ` “${questions[n]?.label}”` : ''}${part}`;
  }
  const names: Record<string, string> = {
    title: 'Title',
    description: 'Description',
    consentText: 'Consent text',
    slug: 'Link name',
    eventId: 'Event',
    sessionId: 'Session',
    closesAt: 'Closes at',
    responseCap: 'Response cap',
    questions: 'Questions',
    version: 'Version',
  };
  return names[key] ?? key;
}
