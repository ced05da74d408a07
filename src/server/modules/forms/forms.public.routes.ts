import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type FormQuestion,
  FormSlugParams,
  PublicForm,
  PublicFormReceipt,
  PublicFormSubmission,
} from '../../../contract/api/forms.ts';
import { Problem } from '../../../contract/problem.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import type { Answer } from './forms.answers.ts';
import { isMulti } from './forms.answers.ts';
import {
  CLOSED_DETAIL,
  FormClosedError,
  getPublicForm,
  type PublicDeps,
  submitResponse,
} from './forms.public.ts';
import {
  closedPage,
  formPage,
  type KeptValues,
  messagePage,
  notFoundPage,
  type PageErrors,
  thanksPage,
} from './forms.render.ts';

/**
 * The public side of feedback forms, reachable without signing in: the page /f/<slug> (server-rendered, a
 * plain HTML form post) and its JSON twin under /api/v1/public/forms. Viewing is bounded by RATE.publicPage and
 * sending by RATE.publicForm, per sender (a keyed hash of the IP).
 */

/**
 * A form post's size: every answer at its longest fits the insight's 5,000 characters, and percent-encoding
 * multiplies a character by up to nine bytes.
 */
const FORM_BODY_LIMIT = 64 * 1024;
const html = 'text/html; charset=utf-8';
const pageConfig = (rateLimit: typeof RATE.publicPage | typeof RATE.publicForm) =>
  ({ auth: 'public', kind: 'page', rateLimit }) as const;

function send(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).type(html).header('cache-control', 'no-store').send(body);
}

/** The page's answers as the JSON twin takes them: ratings as numbers, checkbox groups as lists. */
function submissionOf(questions: readonly FormQuestion[], body: URLSearchParams) {
  const byId = new Map(questions.map((q) => [q.id, q]));
  // No prototype: a field named answers.__proto__ is an unknown question like any other, not a setter.
  const answers: Record<string, Answer> = Object.create(null);
  const kept: KeptValues = { answers: {}, consent: Boolean(body.get('consent')) };
  for (const key of new Set(body.keys())) {
    if (!key.startsWith('answers.')) continue;
    const id = key.slice('answers.'.length, 'answers.'.length + 40);
    const q = byId.get(id);
    const values = body.getAll(key).filter((v) => v !== '');
    if (q && isMulti(q)) {
      answers[id] = values;
      kept.answers[key] = values;
      continue;
    }
    const value = values[0];
    if (value === undefined) continue;
    kept.answers[key] = value;
    answers[id] = q?.type === 'rating' && /^[0-9]{1,2}$/.test(value) ? Number(value) : value;
  }
  return { answers, kept, consent: kept.consent, website: body.get('website') ?? undefined };
}

/** Field errors of a refused send, by question id (and `consent`), for the page to show beside each field. */
function pageErrors(err: ValidationError): PageErrors {
  const out: PageErrors = {};
  for (const { field, message } of err.errors ?? []) {
    const key = field.startsWith('answers.') ? field.slice('answers.'.length) : field;
    out[key] ??= message;
  }
  return out;
}

export function publicFormRoutes(app: FastifyInstance, deps: PublicDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** The form by slug for a page, or the page that says why not (404 draft/unknown). */
  async function formFor(slug: string, reply: FastifyReply) {
    const parsed = FormSlugParams.safeParse({ slug });
    if (!parsed.success) {
      send(reply, 404, notFoundPage());
      return null;
    }
    try {
      return await getPublicForm(deps, parsed.data.slug);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      send(reply, 404, notFoundPage());
      return null;
    }
  }

  r.get(
    '/f/:slug',
    { config: pageConfig(RATE.publicPage), schema: { hide: true } },
    async (request, reply) => {
      const { slug } = request.params as { slug: string };
      const form = await formFor(slug, reply);
      if (!form) return reply;
      if (form.closedReason) return send(reply, 410, closedPage(form, CLOSED_DETAIL[form.closedReason]));
      return send(reply, 200, formPage(form));
    },
  );

  r.get(
    '/f/:slug/thanks',
    { config: pageConfig(RATE.publicPage), schema: { hide: true } },
    async (request, reply) => {
      const { slug } = request.params as { slug: string };
      const form = await formFor(slug, reply);
      if (!form) return reply;
      return send(reply, 200, thanksPage(form));
    },
  );

  // The page's form post: its urlencoded parser exists in this scope only, with a small body limit.
  app.register(async (scoped) => {
    scoped.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
      (_request, body, done) => done(null, new URLSearchParams(String(body))),
    );
    scoped.post(
      '/f/:slug',
      { config: pageConfig(RATE.publicForm), schema: { hide: true } },
      async (request, reply) => {
        const { slug } = request.params as { slug: string };
        if (request.headers['sec-fetch-site'] === 'cross-site') {
          return send(
            reply,
            403,
            messagePage(
              'Not sent',
              'This form can only be sent from its own page. Open the link again and send it there.',
            ),
          );
        }
        const form = await formFor(slug, reply);
        if (!form) return reply;
        const body = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
        const submission = submissionOf(form.questions, body);
        try {
          await submitResponse(deps, request.ctx, form.slug, submission, 'answers');
        } catch (err) {
          if (err instanceof FormClosedError) return send(reply, 410, closedPage(form, err.message));
          if (err instanceof ValidationError)
            return send(reply, 400, formPage(form, submission.kept, pageErrors(err)));
          throw err;
        }
        return reply
          .header('cache-control', 'no-store')
          .redirect(`/f/${encodeURIComponent(form.slug)}/thanks`, 303);
      },
    );
  });

  r.get(
    '/api/v1/public/forms/:slug',
    {
      config: { auth: 'public', kind: 'api', rateLimit: RATE.publicPage },
      schema: {
        tags: ['forms'],
        summary: 'A published feedback form as its public page shows it (no sign-in)',
        description:
          'Drafts and unknown slugs answer 404. A closed form answers 200 with accepting false and closedReason.',
        params: FormSlugParams,
        querystring: z.strictObject({}),
        response: { 200: PublicForm, 400: Problem, 404: Problem },
      },
    },
    async (request) => getPublicForm(deps, request.params.slug),
  );

  r.post(
    '/api/v1/public/forms/:slug/responses',
    {
      bodyLimit: FORM_BODY_LIMIT,
      config: { auth: 'public', kind: 'api', rateLimit: RATE.publicForm },
      schema: {
        tags: ['forms'],
        summary: 'Answer a published feedback form (no sign-in); the response becomes an insight',
        description:
          'Answers are keyed by question id: ratings as whole numbers 1–5, choices as the offered values ' +
          '(taxonomy ids for the mapped questions), checkbox questions as lists. 400 names ' +
          'body.answers.<questionId>; 404 for a draft or unknown slug; 410 when the form is closed, past its ' +
          'closing date or has reached its cap.',
        params: FormSlugParams,
        querystring: z.strictObject({}),
        body: PublicFormSubmission,
        response: { 201: PublicFormReceipt, 400: Problem, 404: Problem, 410: Problem },
      },
    },
    async (request, reply) => {
      const { answers, website } = request.body;
      await submitResponse(
        deps,
        request.ctx,
        request.params.slug,
        { answers, website, consent: request.body.consent },
        'body.answers',
      );
      return reply.code(201).send({ received: true });
    },
  );
}
