import type { FieldError, Problem } from '../../contract/problem.ts';

/**
 * The one fetch wrapper both front ends use. JSON in and out, cookies of this origin, problem+json errors
 * turned into ApiError, a 401 sends the browser to sign in (unless the caller opts out), and every
 * state-changing request carries the CSRF token that /api/v1/me handed out.
 */

/** The server answered with an error (a problem+json body, or something we turned into one). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldError[];
  /** Set on 403 "Step-up required": re-authenticate there (see stepUpHref), then retry. */
  readonly stepUpUrl: string | undefined;
  constructor(problem: Pick<Problem, 'status' | 'title' | 'detail' | 'errors' | 'stepUpUrl'>) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.fieldErrors = problem.errors ?? [];
    this.stepUpUrl = typeof problem.stepUpUrl === 'string' ? problem.stepUpUrl : undefined;
  }
}

/** The action needs a recent (MFA) sign-in: the person verifies it's them, then tries again. */
export function isStepUpRequired(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 403 && error.stepUpUrl !== undefined;
}

/** The request never got an answer: offline, DNS, server down, connection reset. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Could not reach the server.', { cause });
    this.name = 'NetworkError';
  }
}

let csrfToken: string | null = null;

/** Remember the token from /api/v1/me; sent as X-CSRF-Token on every non-GET request. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The page the browser shows now, as a same-origin return path. */
export function currentPath(): string {
  return window.location.pathname + window.location.search;
}

export function loginUrl(returnTo: string = currentPath()): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * Where "Verify it's you" goes: the server's step-up URL (from a problem body) or /auth/step-up, always
 * returning to the page the person is on now (the server only sees the Referer, which may be stripped).
 */
export function stepUpHref(stepUpUrl = '/auth/step-up', returnTo: string = currentPath()): string {
  const url = new URL(stepUpUrl, window.location.origin);
  const path = url.origin === window.location.origin ? url.pathname : '/auth/step-up';
  const search = new URLSearchParams(url.search);
  search.set('returnTo', returnTo);
  return `${path}?${search.toString()}`;
}

let redirecting = false;

/** True once a 401 has sent the browser to sign in: screens can stay quiet instead of flashing an error. */
export function isRedirectingToLogin(): boolean {
  return redirecting;
}

function redirectToLogin(): void {
  if (redirecting) return;
  redirecting = true;
  window.location.assign(loginUrl());
}

type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x` from the given params, leaving out empty ones (the API rejects unknown or blank params). */
export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.title === 'string' && typeof candidate.status === 'number';
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface RequestOptions {
  /**
   * false: a 401 is thrown as an ApiError like any other answer and the browser stays on the page (capture's
   * outbox keeps working while the session is gone). Default true: the browser goes to sign in.
   */
  redirectOnUnauthorized?: boolean;
  /** Extra request headers (the capture app names itself: X-BI-Client, for the product analytics). */
  headers?: Readonly<Record<string, string>>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}) {
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
  // Raw bytes (a recording) go as they are, under their own media type; everything else is JSON.
  const raw = body instanceof Blob;
  // DELETE carries no body; other state changes always send one (JSON `{}` when the caller has none).
  const sendsBody = method !== 'GET' && method !== 'DELETE';
  if (sendsBody) headers['Content-Type'] = raw ? body.type || 'application/octet-stream' : 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: !sendsBody ? undefined : raw ? body : JSON.stringify(body ?? {}),
    });
  } catch (cause) {
    throw new NetworkError(cause);
  }
  const payload = await readJson(response);
  if (response.status === 401) {
    if (options.redirectOnUnauthorized !== false) redirectToLogin();
    throw new ApiError({ status: 401, title: 'Unauthorized', detail: 'Sign in to continue.' });
  }
  if (!response.ok) {
    if (isProblem(payload)) throw new ApiError(payload);
    throw new ApiError({
      status: response.status,
      title: response.statusText || 'Request failed',
      detail: `The server answered ${response.status}. Try again in a moment.`,
    });
  }
  return payload as T;
}

export const api = {
  get: <T>(path: string, params: Record<string, QueryValue> = {}, options?: RequestOptions) =>
    request<T>('GET', path + queryString(params), undefined, options),
  post: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('POST', path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, body, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
  /** POST raw bytes (e.g. a voice recording) with the blob's own Content-Type; the answer is JSON. */
  postBlob: <T>(path: string, blob: Blob, options?: RequestOptions) =>
    request<T>('POST', path, blob, options),
};

/** One line to show a person for any error a request can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof NetworkError) return "Couldn't reach the server. Check your connection and try again.";
  if (error instanceof ApiError) return error.detail ?? error.title;
  return 'Something went wrong. Try again.';
}
