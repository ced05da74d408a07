import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { FORM_QUESTION_TYPES, FORM_STATUSES, FORM_TEMPLATES } from '../program.ts';
import { idsOf } from '../taxonomy.ts';
import { Cursor, IsoDateTime, PageLimit, refuseControlCharacters, Uuid } from './common.ts';

/**
 * Public feedback forms. A form belongs to its owner (an advocate, manager or admin) and optionally to an
 * event and session; its public page is /f/<slug>, reachable without signing in. Each response becomes an
 * insight (source "form") authored by the owner, with the event and session of the form.
 *
 * How answers become the insight:
 * - `insight_type`, `product_area`, `sentiment`, `priority` fill those fields (choices are the taxonomy's);
 * - `developer_role`, `company` fill the developer info;
 * - without a sentiment question, the first rating sets it (1–2 negative, 3 neutral, 4–5 positive);
 * - every other answer becomes a line of the insight's text ("Label: answer"); the title is the form's title.
 */
export const FormQuestionTypeSchema = z.enum(idsOf(FORM_QUESTION_TYPES));
export const FormStatusSchema = z.enum(idsOf(FORM_STATUSES));
export const FormTemplateSchema = z.enum(idsOf(FORM_TEMPLATES));

export const FormQuestion = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and _ (a stable key)')
      .describe('Stable key of the question; answers are keyed by it'),
    type: FormQuestionTypeSchema,
    label: z.string().trim().min(1, 'must not be empty').max(LIMITS.formQuestionLabel),
    help: z.string().trim().max(LIMITS.formQuestionLabel).nullable().optional(),
    required: z.boolean().default(false),
    /** Choices of single_choice / multi_choice (2 or more); the mapped types use the taxonomy instead. */
    options: z.array(z.string().trim().min(1).max(LIMITS.formChoice)).max(LIMITS.formChoices).optional(),
  })
  .refine(
    (q) =>
      q.type === 'single_choice' || q.type === 'multi_choice'
        ? (q.options?.length ?? 0) >= 2
        : q.options === undefined,
    { message: 'choice questions need at least 2 options; other types take none', path: ['options'] },
  );
export type FormQuestion = z.infer<typeof FormQuestion>;

const questions = z
  .array(FormQuestion)
  .min(1, 'must have at least one question')
  .max(LIMITS.formQuestions)
  .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'must not repeat a question id')
  .refine(
    (qs) => qs.some((q) => q.type === 'short_text' || q.type === 'long_text' || q.type === 'rating'),
    'must have a text or rating question (the insight needs text)',
  );

const formFields = {
  title: z.string().trim().min(1, 'must not be empty').max(LIMITS.formTitle),
  description: z.string().trim().max(LIMITS.formDescription).nullable().optional(),
  consentText: z.string().trim().min(1, 'must say how the answers are used').max(LIMITS.formConsent),
  eventId: Uuid.nullable().optional(),
  sessionId: Uuid.nullable().optional(),
  closesAt: IsoDateTime.nullable().optional(),
  responseCap: z.number().int().min(1).max(LIMITS.formResponseCapMax).nullable().optional(),
};

export const FormCreate = refuseControlCharacters(
  z.strictObject({
    ...formFields,
    template: FormTemplateSchema,
    /** Omitted: the template's questions. */
    questions: questions.optional(),
    /** Omitted: generated from the title. Lower-case letters, digits and dashes. */
    slug: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$/, 'must be 3–60 lower-case letters, digits and dashes')
      .optional(),
    consentText: formFields.consentText.optional().describe('Omitted: the standard consent text'),
  }),
);
export type FormCreate = z.input<typeof FormCreate>;

export const FormUpdate = refuseControlCharacters(
  z.strictObject({
    ...formFields,
    title: formFields.title.optional(),
    consentText: formFields.consentText.optional(),
    questions: questions.optional(),
    status: FormStatusSchema.optional(),
    version: z.number().int().min(1),
  }),
);
export type FormUpdate = z.input<typeof FormUpdate>;

export const FeedbackForm = z.object({
  id: Uuid,
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  consentText: z.string(),
  template: FormTemplateSchema,
  questions: z.array(FormQuestion),
  status: FormStatusSchema,
  owner: z.object({ id: Uuid, name: z.string() }),
  event: z.object({ id: Uuid, name: z.string() }).nullable(),
  session: z.object({ id: Uuid, title: z.string() }).nullable(),
  closesAt: IsoDateTime.nullable(),
  responseCap: z.number().int().nullable(),
  responseCount: z.number().int(),
  /** Absolute URL of the public page (what the QR code encodes). */
  publicUrl: z.string(),
  /** Whether the public page accepts responses right now, and why not. */
  accepting: z.boolean(),
  closedReason: z.enum(['draft', 'closed', 'past_closing_date', 'cap_reached']).nullable(),
  canManage: z.boolean(),
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type FeedbackForm = z.infer<typeof FeedbackForm>;

export const FormListQuery = refuseControlCharacters(
  z.strictObject({
    status: FormStatusSchema.optional(),
    eventId: Uuid.optional(),
    limit: PageLimit,
    cursor: Cursor.optional(),
  }),
);
export const FormPage = z.object({ items: z.array(FeedbackForm), nextCursor: z.string().nullable() });
export type FormPage = z.infer<typeof FormPage>;

export const FormIdParams = z.strictObject({ id: Uuid });
export const FormSlugParams = z.strictObject({ slug: z.string().max(LIMITS.formSlug) });

/** The template's questions and default texts, for the builder to start from. */
export const FormTemplateInfo = z.object({
  id: FormTemplateSchema,
  label: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  questions: z.array(FormQuestion),
});
export const FormTemplateList = z.object({
  items: z.array(FormTemplateInfo),
  defaultConsentText: z.string(),
});
export type FormTemplateList = z.infer<typeof FormTemplateList>;

/** What the public page shows (no owner, no ids beyond the slug). */
export const PublicForm = z.object({
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  consentText: z.string(),
  eventName: z.string().nullable(),
  questions: z.array(FormQuestion),
  accepting: z.boolean(),
  closedReason: z.enum(['closed', 'past_closing_date', 'cap_reached']).nullable(),
});
export type PublicForm = z.infer<typeof PublicForm>;

const answer = z.union([
  z.string().max(LIMITS.formAnswer),
  z.number(),
  z.array(z.string().max(LIMITS.formChoice)).max(LIMITS.formChoices),
]);

/** A response as the public page (or a client of the JSON endpoint) sends it. */
export const PublicFormSubmission = refuseControlCharacters(
  z.strictObject({
    answers: z
      .record(z.string().max(40), answer)
      .refine((a) => Object.keys(a).length <= LIMITS.formQuestions, {
        message: `must have at most ${LIMITS.formQuestions} answers`,
      }),
    consent: z.literal(true, { error: 'must be accepted to send the form' }),
    /** Honeypot: people never see or fill it; a filled one is silently dropped (answered like a success). */
    website: z.string().max(200).optional(),
  }),
);
export type PublicFormSubmission = z.input<typeof PublicFormSubmission>;

export const PublicFormReceipt = z.object({ received: z.literal(true) });

export const FormResponse = z.object({
  id: Uuid,
  submittedAt: IsoDateTime,
  answers: z.record(z.string(), answer),
  insightId: Uuid,
});
export const FormResponsePage = z.object({
  items: z.array(FormResponse),
  nextCursor: z.string().nullable(),
});
export type FormResponsePage = z.infer<typeof FormResponsePage>;
export const FormResponseQuery = refuseControlCharacters(
  z.strictObject({ limit: PageLimit, cursor: Cursor.optional() }),
);
