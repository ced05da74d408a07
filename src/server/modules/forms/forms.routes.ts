import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  FeedbackForm,
  FormCreate,
  FormIdParams,
  FormListQuery,
  FormPage,
  FormResponsePage,
  FormResponseQuery,
  FormTemplateList,
  FormUpdate,
} from '../../../contract/api/forms.ts';
import { Problem } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { ADVOCATE_UP } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { publicFormRoutes } from './forms.public.routes.ts';
import {
  createForm,
  deleteForm,
  type FormDeps,
  formTemplates,
  getForm,
  listForms,
  listResponses,
  updateForm,
} from './forms.service.ts';

const read = { auth: 'session', kind: 'api', rateLimit: RATE.read } as const;
const write = { auth: 'session', kind: 'api', rateLimit: RATE.write } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['forms'];
const base = '/api/v1/forms';
const noQuery = z.strictObject({});
const WHO =
  'Advocates, managers and admins (viewers: 403). A form is visible to its owner, to a manager whose scope ' +
  'includes the owner, and to admins; any other form answers 404.';

/** The QR code's look: error correction M survives a scuffed printout; 8 px modules scan from a slide. */
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2 } as const;

/** qrcode is loaded on the first QR request, not at start-up (cold start, docs/performance.md). */
const loadQrCode = async () => (await import('qrcode')).default;

function imageHeaders(reply: FastifyReply, type: string, filename: string) {
  return reply
    .type(type)
    .header('cache-control', 'private, max-age=300')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    .header('content-disposition', `inline; filename="${filename}"`);
}

/** Admin API of feedback forms (the builder); the public page and its JSON twin live in forms.public.routes.ts. */
export function formRoutes(
  app: FastifyInstance,
  deps: { db: Db; now: () => Date; publicUrl: string; ipSecret: string },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service: FormDeps = { db: deps.db, now: deps.now, publicUrl: deps.publicUrl };

  r.get(
    `${base}/templates`,
    {
      config: { ...read, access: { roles: ADVOCATE_UP } },
      schema: {
        tags,
        summary:
          'The templates a form starts from: their questions, default title and the standard consent text',
        description: WHO,
        querystring: noQuery,
        response: { 200: FormTemplateList, ...errors },
      },
    },
    async (request) => formTemplates(request.ctx),
  );

  r.post(
    base,
    {
      config: { ...write, access: { roles: ADVOCATE_UP } },
      schema: {
        tags,
        summary: 'Create a feedback form (a draft owned by you; open it with PATCH status "open")',
        description:
          `${WHO} Questions default to the template's, consentText to the standard text, the slug to one made ` +
          'from the title plus a random suffix. 409 naming body.slug when the slug is taken; 400 naming ' +
          'body.eventId / body.sessionId when the event does not exist or the session is not one of its.',
        querystring: noQuery,
        body: FormCreate,
        response: { 201: FeedbackForm, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createForm(service, request.ctx, request.body)),
  );

  r.get(
    base,
    {
      config: { ...read, access: { roles: ADVOCATE_UP } },
      schema: {
        tags,
        summary: 'The forms you manage, newest first',
        description: WHO,
        querystring: FormListQuery,
        response: { 200: FormPage, ...errors },
      },
    },
    async (request) => listForms(service, request.ctx, request.query),
  );

  r.get(
    `${base}/:id`,
    {
      config: { ...read, access: { roles: ADVOCATE_UP, record: 'form' } },
      schema: {
        tags,
        summary: 'One feedback form, with whether it accepts responses now and why not',
        description: WHO,
        params: FormIdParams,
        querystring: noQuery,
        response: { 200: FeedbackForm, ...errors },
      },
    },
    async (request) => getForm(service, request.ctx, request.params.id),
  );

  r.patch(
    `${base}/:id`,
    {
      config: { ...write, access: { roles: ADVOCATE_UP, record: 'form' } },
      schema: {
        tags,
        summary: 'Edit, open or close a feedback form (optimistic concurrency on version)',
        description:
          `${WHO} A stale version is 409. A question that already has answers may be relabelled but not removed ` +
          'or retyped (409 naming it); a form with responses cannot return to draft (409) and its cap cannot ' +
          'drop below its response count (400 naming body.responseCap).',
        params: FormIdParams,
        querystring: noQuery,
        body: FormUpdate,
        response: { 200: FeedbackForm, ...errors },
      },
    },
    async (request) => updateForm(service, request.ctx, request.params.id, request.body),
  );

  r.delete(
    `${base}/:id`,
    {
      config: { ...write, access: { roles: ADVOCATE_UP, record: 'form' } },
      schema: {
        tags,
        summary: 'Delete a feedback form nobody has answered (one with responses: 409, close it instead)',
        description: WHO,
        params: FormIdParams,
        querystring: noQuery,
        body: z.strictObject({}).nullish(),
        response: { 204: z.null().describe('Deleted'), ...errors },
      },
    },
    async (request, reply) => {
      await deleteForm(service, request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    `${base}/:id/responses`,
    {
      config: { ...read, access: { roles: ADVOCATE_UP, record: 'form' } },
      schema: {
        tags,
        summary: "A form's responses as sent, newest first, each with the insight it became",
        description: WHO,
        params: FormIdParams,
        querystring: FormResponseQuery,
        response: { 200: FormResponsePage, ...errors },
      },
    },
    async (request) => listResponses(service, request.ctx, request.params.id, request.query),
  );

  r.get(
    `${base}/:id/qr.png`,
    {
      config: { ...read, access: { roles: ADVOCATE_UP, record: 'form' } },
      schema: {
        tags,
        summary: "A QR code (PNG, 512 px) of the form's public address",
        description: `${WHO} Cache-Control: private.`,
        params: FormIdParams,
        querystring: noQuery,
        response: { 200: z.string().describe('The PNG bytes'), ...errors },
      },
    },
    async (request, reply) => {
      const form = await getForm(service, request.ctx, request.params.id);
      const QRCode = await loadQrCode();
      const png = await QRCode.toBuffer(form.publicUrl, { ...QR_OPTIONS, type: 'png', width: 512 });
      return imageHeaders(reply, 'image/png', `form-${form.slug}-qr.png`).send(png);
    },
  );

  r.get(
    `${base}/:id/qr.svg`,
    {
      config: { ...read, access: { roles: ADVOCATE_UP, record: 'form' } },
      schema: {
        tags,
        summary: "A QR code (SVG, scales for print) of the form's public address",
        description: `${WHO} Cache-Control: private.`,
        params: FormIdParams,
        querystring: noQuery,
        response: { 200: z.string().describe('The SVG document'), ...errors },
      },
    },
    async (request, reply) => {
      const form = await getForm(service, request.ctx, request.params.id);
      const QRCode = await loadQrCode();
      const svg = await QRCode.toString(form.publicUrl, { ...QR_OPTIONS, type: 'svg' });
      return imageHeaders(reply, 'image/svg+xml; charset=utf-8', `form-${form.slug}-qr.svg`).send(svg);
    },
  );

  publicFormRoutes(app, { ...service, ipSecret: deps.ipSecret });
}
