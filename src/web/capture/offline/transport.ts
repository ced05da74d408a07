import { CAPTURE_CLIENT, CLIENT_HEADER } from '../../../contract/analytics.ts';
import type { Me } from '../../../contract/api/me.ts';
import type { OutboxProblem } from './types.ts';

/**
 * HTTP for the sync engine, in the engine's own terms: an answer the server gave (ok / refused), a session
 * that is gone, or "no usable answer" (transport). No `window`, no React: the service worker uses it too.
 */

export type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

export type Outcome =
  /** 2xx with a body that parsed (or no body expected). */
  | { kind: 'ok'; status: number; body: unknown }
  /** The server decided (4xx other than 401/408/429): the item needs the person. */
  | { kind: 'refused'; status: number; body: unknown }
  | { kind: 'unauthorized' }
  /** Nothing usable came back: fetch threw, 408/429/5xx, or a body that doesn't parse (dropped connection). */
  | { kind: 'transport'; detail: string };

function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Reads the whole body; a connection cut mid-body throws here, which is a transport failure like any other. */
async function readBody(response: Response): Promise<{ ok: true; body: unknown } | { ok: false }> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return { ok: false };
  }
  if (text === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export async function send(
  fetchFn: Fetch,
  path: string,
  init: RequestInit,
  expectBody: boolean,
): Promise<Outcome> {
  let response: Response;
  // Says "the capture app" to the server's product analytics (which surface a person used that day).
  const headers = new Headers(init.headers);
  headers.set(CLIENT_HEADER, CAPTURE_CLIENT);
  try {
    response = await fetchFn(path, { credentials: 'same-origin', ...init, headers });
  } catch {
    return { kind: 'transport', detail: 'Could not reach the server' };
  }
  if (response.status === 401) return { kind: 'unauthorized' };
  if (isTransient(response.status)) {
    await response.body?.cancel().catch(() => undefined);
    return { kind: 'transport', detail: `The server is busy or unavailable (${response.status})` };
  }
  const read = await readBody(response);
  if (!read.ok)
    return { kind: 'transport', detail: 'The connection dropped before the server finished answering' };
  if (response.ok) {
    if (expectBody && read.body === undefined)
      return { kind: 'transport', detail: 'The server sent an empty answer' };
    return { kind: 'ok', status: response.status, body: read.body };
  }
  return { kind: 'refused', status: response.status, body: read.body };
}

/** Who is signed in and the CSRF token of that session, or why not. */
export async function fetchMe(
  fetchFn: Fetch,
): Promise<
  { kind: 'me'; personId: string; name: string; csrfToken: string } | Exclude<Outcome, { kind: 'ok' }>
> {
  const outcome = await send(
    fetchFn,
    '/api/v1/me',
    { method: 'GET', headers: { Accept: 'application/json' } },
    true,
  );
  if (outcome.kind !== 'ok') return outcome;
  const me = outcome.body as Partial<Me> | undefined;
  if (typeof me?.person?.id !== 'string' || typeof me.csrfToken !== 'string') {
    return { kind: 'transport', detail: 'The server sent an answer this app cannot read' };
  }
  return { kind: 'me', personId: me.person.id, name: me.person.name ?? '', csrfToken: me.csrfToken };
}

interface ProblemLike {
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
}

/** The person-readable reason of a refusal, with the field names exactly as the server gave them. */
export function problemFrom(status: number, body: unknown, fallback: string): OutboxProblem {
  const p = (typeof body === 'object' && body !== null ? body : {}) as ProblemLike;
  const fields = Array.isArray(p.errors)
    ? p.errors
        .filter(
          (e): e is { field: string; message: string } =>
            typeof e === 'object' &&
            e !== null &&
            typeof (e as Record<string, unknown>).field === 'string' &&
            typeof (e as Record<string, unknown>).message === 'string',
        )
        .map((e) => ({ field: e.field, message: e.message }))
    : [];
  const detail = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : fallback;
  return { status, detail, fields };
}

/** Base64 of a blob without FileReader (not in service workers) and without one huge string concatenation. */
export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const parts: string[] = [];
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    parts.push(String.fromCharCode(...bytes.subarray(i, i + chunk)));
  }
  return btoa(parts.join(''));
}
