import type { FieldError, Problem } from '../../contract/problem.ts';

/**
 * The one fetch wrapper both front ends use. JSON in and out, cookies of this origin, problem+json errors
 * turned into ApiError, a 401 anywhere sends the browser to sign in, and every state-changing request carries
 * the CSRF token that /api/v1/me handed out.
 */

/** The server answered with an error (a problem+json body, or something we turned into one). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldError[];
  constructor(problem: Pick<Problem, 'status' | 'title' | 'detail' | 'errors'>) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.fieldErrors = problem.errors ?? [];
  }
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

export function loginUrl(): string {
  const here = window.location.pathname + window.location.search;
  return `/auth/login?returnTo=${encodeURIComponent(here)}`;
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

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
  } catch (cause) {
    throw new NetworkError(cause);
  }
  const payload = await readJson(response);
  if (response.status === 401) {
    redirectToLogin();
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
  get: <T>(path: string, params: Record<string, QueryValue> = {}) =>
    request<T>('GET', path + queryString(params)),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
};

/** One line to show a person for any error a request can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof NetworkError) return "Couldn't reach the server. Check your connection and try again.";
  if (error instanceof ApiError) return error.detail ?? error.title;
  return 'Something went wrong. Try again.';
}
