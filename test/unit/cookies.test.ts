import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { clearSessionCookie, cookieSettings, setSessionCookie } from '../../src/server/plugins/actor.ts';

async function setCookieHeader(secure: boolean) {
  const app = Fastify();
  await app.register(cookie);
  const settings = cookieSettings(secure);
  app.get('/set', (_req, reply) => {
    setSessionCookie(reply, settings, 'token-value', new Date(Date.now() + 3_600_000));
    return reply.send('ok');
  });
  app.get('/clear', (_req, reply) => {
    clearSessionCookie(reply, settings);
    return reply.send('ok');
  });
  const set = (await app.inject('/set')).headers['set-cookie'] as string;
  const clear = (await app.inject('/clear')).headers['set-cookie'] as string;
  await app.close();
  return { set, clear };
}

describe('session cookie', () => {
  it('is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/ and has no Domain over https', async () => {
    const { set, clear } = await setCookieHeader(true);
    expect(set).toMatch(/^__Host-bi_session=token-value;/);
    for (const attr of ['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/']) expect(set).toContain(attr);
    expect(set).not.toMatch(/Domain=/i);
    expect(clear).toMatch(/^__Host-bi_session=;/);
    expect(clear).toMatch(/Expires=Thu, 01 Jan 1970/);
  });

  it('drops only the Secure-dependent parts on local http', async () => {
    const { set } = await setCookieHeader(false);
    expect(set).toMatch(/^bi_session=token-value;/);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Lax');
    expect(set).not.toContain('Secure');
  });
});
