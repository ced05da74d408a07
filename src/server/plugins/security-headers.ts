import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The script nonce of each response, keyed by the raw response helmet hands its directive functions. */
const nonces = new WeakMap<object, string>();

/**
 * The CSP script nonce of this response (128 random bits, fresh for every response): an inline `<script>`
 * or a script tag of a served page carries it as `nonce="…"`. The header names the same value.
 */
export function cspNonce(reply: FastifyReply): string {
  const nonce = nonces.get(reply.raw);
  if (!nonce) throw new Error('no CSP nonce: registerSecurityHeaders runs before every route');
  return nonce;
}

const nonceSource = (_request: unknown, response: ServerResponse) => `'nonce-${nonces.get(response) ?? ''}'`;

/**
 * Strict defaults on every response: scripts from our origin or carrying this response's nonce, never inline
 * without it and never eval; inline styles are allowed for the design system's CSS-in-JS (Emotion writes
 * `<style>` elements at run time and cannot know a per-response nonce before the page's script runs).
 * Authenticated API answers and server-rendered pages are never stored by a cache (`no-store`) unless the
 * route chose its own Cache-Control (attachments: `private, no-store`; hashed assets: immutable).
 */
export async function registerSecurityHeaders(app: FastifyInstance, secure: boolean) {
  // Registered before helmet's own onRequest hook, which reads the nonce when it writes the header.
  app.addHook('onRequest', async (_request, reply) => {
    nonces.set(reply.raw, randomBytes(16).toString('base64url'));
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const { auth, kind } = request.routeOptions.config;
    const authenticatedApi = kind === 'api' && auth !== undefined && auth !== 'public';
    if ((authenticatedApi || kind === 'page') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", nonceSource],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        // Voice recordings and photos play back from the device (blob: URLs) before and after upload.
        mediaSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        // Sign-in and sign-out navigate to the identity provider; no page of ours posts a form elsewhere.
        formAction: ["'self'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    // No page of ours is ever framed: X-Frame-Options for browsers without frame-ancestors.
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
