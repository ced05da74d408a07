/**
 * A tiny browser stand-in for API tests: a cookie jar keyed by host (like a browser, cookies ignore ports),
 * manual redirects, and helpers to follow an SSO redirect chain.
 */
export class CookieJar {
  readonly #cookies = new Map<string, Map<string, string>>();

  /**
   * `now(url)` is the clock a cookie's `Expires` is judged by, per server. A test that pins the app's clock
   * (`startStack({ now })`) gets jars (the stack's `newJar()`) that judge the app's cookies by that clock and the
   * identity provider's by the real one, as a browser whose clock agrees with each server would. Judged by
   * the real clock, a session cookie set at a fixed past instant expires once the real day passes that instant
   * plus the session lifetime, and the test fails only from that date on.
   */
  readonly now: (url: string) => number;

  constructor(now: (url: string) => number = () => Date.now()) {
    this.now = now;
  }

  store(url: string, response: Response) {
    const host = new URL(url).hostname;
    const jar = this.#cookies.get(host) ?? new Map<string, string>();
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.trim().split('=');
        if (k?.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k?.toLowerCase() === 'expires') return new Date(v ?? '').getTime() < this.now(url);
        return false;
      });
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.#cookies.set(host, jar);
  }

  header(url: string): string {
    const jar = this.#cookies.get(new URL(url).hostname);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  get(host: string, name: string): string | undefined {
    return this.#cookies.get(host)?.get(name);
  }

  delete(host: string, name: string) {
    this.#cookies.get(host)?.delete(name);
  }
}

export async function request(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(url, response);
  return response;
}

export function location(response: Response, base: string): string {
  const loc = response.headers.get('location');
  if (!loc) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(loc, base).href;
}
