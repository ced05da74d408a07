import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { RATE } from './rate-limit.ts';
import { cspNonce } from './security-headers.ts';

/** Every file under the build output, as URL paths: routing is a set lookup, so no path ever escapes root. */
function listFiles(root: string, dir = root, out = new Set<string>()): Set<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) listFiles(root, full, out);
    else out.add(`/${path.relative(root, full).split(path.sep).join('/')}`);
  }
  return out;
}

const APPS = ['capture', 'admin'] as const;

/**
 * An app shell with this response's CSP nonce on every script and module preload, and in the
 * `<meta property="csp-nonce">` that Vite's preload helper copies onto the module preloads it adds at run time.
 * The shell is read once; only the nonce differs per response. The capture PWA's service worker precaches
 * one such response, header and body together, so the offline shell's nonce still matches its own CSP.
 */
export function withNonce(html: string, nonce: string): string {
  const attr = `nonce="${nonce}"`;
  return html
    .replace(/<script\b/gi, `<script ${attr}`)
    .replace(/<link\b(?=[^>]*\brel="modulepreload")/gi, `<link ${attr}`)
    .replace(/<head>/i, `<head>\n    <meta property="csp-nonce" ${attr} />`);
}

/**
 * Serves the built web apps: hashed assets cached for a year, app shells never cached, and every client-side
 * route of an app answered with its shell. Assets are public; all data sits behind the API's session check.
 */
export async function registerStaticWeb(app: FastifyInstance, webRoot: string) {
  const built = existsSync(path.join(webRoot, 'capture', 'index.html'));
  const files = built ? listFiles(webRoot) : new Set<string>();
  await app.register(fastifyStatic, { root: path.resolve(webRoot), serve: false });
  const shells = new Map<string, string>();
  for (const name of APPS) {
    const shell = path.join(webRoot, name, 'index.html');
    if (built && existsSync(shell)) shells.set(name, readFileSync(shell, 'utf8'));
  }

  const notBuilt = (reply: FastifyReply) =>
    reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send('The web apps are not built. Run `npm run build` (npm start does it for you).');

  const config = { auth: 'public', kind: 'asset', rateLimit: RATE.asset } as const;
  app.get('/assets/*', { config, schema: { hide: true } }, (request, reply) => {
    const file = request.url.split('?')[0] ?? '';
    if (!files.has(file)) return reply.callNotFound();
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .sendFile(file.slice(1), { cacheControl: false });
  });

  for (const name of APPS) {
    const handler = (request: { url: string }, reply: FastifyReply) => {
      const shell = shells.get(name);
      if (!built || shell === undefined) return notBuilt(reply);
      const file = request.url.split('?')[0] ?? '';
      if (files.has(file) && !file.endsWith('/index.html')) {
        // Un-hashed names (the service worker, the web manifest, icons): revalidated every time, so an update is
        // seen on the next check; the worker script in particular must never come from an HTTP cache. Their
        // types come from the file name (.webmanifest → application/manifest+json).
        return reply.header('cache-control', 'no-cache').sendFile(file.slice(1), { cacheControl: false });
      }
      return reply
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(withNonce(shell, cspNonce(reply)));
    };
    app.get(`/${name}`, { config, schema: { hide: true } }, (_request, reply) => reply.redirect(`/${name}/`));
    app.get(`/${name}/*`, { config, schema: { hide: true } }, handler);
  }
}
