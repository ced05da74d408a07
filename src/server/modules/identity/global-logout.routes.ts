import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { refuseControlCharacters } from '../../../contract/api/common.ts';
import { Problem } from '../../../contract/problem.ts';
import { bearerToken } from '../../plugins/actor.ts';
import {
  BACKCHANNEL_LOGOUT_PATH,
  backchannelLogout,
  type GlobalLogoutDeps,
  UNIVERSAL_LOGOUT_PATH,
  UniversalLogoutBody,
  universalLogout,
} from './global-logout.service.ts';

/** The identity provider calls these server to server; a burst on mass offboarding must fit. */
const IDP_RATE = { max: 600, timeWindow: 60_000 };
const FORM_LIMIT_BYTES = 16 * 1024;

const errors = { 400: Problem, 401: Problem, 415: Problem, 429: Problem, 503: Problem };

/**
 * Global logout driven by the identity provider: Okta Universal Logout (JSON + bearer JWT) and OIDC
 * back-channel logout (form-encoded logout_token). Both verify a JWT signed with the issuer's keys.
 */
export function globalLogoutRoutes(app: FastifyInstance, deps: GlobalLogoutDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    UNIVERSAL_LOGOUT_PATH,
    {
      config: { auth: 'public', kind: 'api', rateLimit: IDP_RATE },
      schema: {
        tags: ['identity'],
        summary:
          'Okta Universal Logout: end every session and API token of the subject (JWT in Authorization)',
        body: refuseControlCharacters(UniversalLogoutBody),
        response: { 204: z.null().describe('Every session and token of the subject has ended'), ...errors },
      },
    },
    async (request, reply) => {
      const bearer = bearerToken(request, 8192);
      await universalLogout(deps, request.ctx, bearer, request.body);
      return reply.code(204).send(null);
    },
  );

  // Form-encoded bodies are accepted on this route only (an encapsulated context), as the spec requires.
  app.register(async (scoped) => {
    scoped.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    scoped.withTypeProvider<ZodTypeProvider>().post(
      BACKCHANNEL_LOGOUT_PATH,
      {
        config: { auth: 'public', kind: 'api', rateLimit: IDP_RATE },
        schema: {
          tags: ['identity'],
          summary: 'OIDC back-channel logout: end the sessions a logout_token names',
          consumes: ['application/x-www-form-urlencoded'],
          body: refuseControlCharacters(z.looseObject({ logout_token: z.string().min(1).max(8192) })),
          response: { 200: z.object({ ok: z.literal(true) }), ...errors },
        },
      },
      async (request, reply) => {
        await backchannelLogout(deps, request.ctx, request.body.logout_token);
        reply.header('cache-control', 'no-store');
        return { ok: true as const };
      },
    );
  });
}
