/**
 * A tiny browser stand-in for API tests: a cookie jar keyed by host (like a browser, cookies ignore ports),
 * manual redirects, and helpers to follow an SSO redirect chain.
 */
export class CookieJar {
  readonly #cookies = new Map<string, Map<string, string>>();

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
        if (k?.toLowerCase() === 'expires') return new Date(v ?? '').getTime() < Date.now();
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
