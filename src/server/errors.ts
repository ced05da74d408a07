import type { FieldError } from '../contract/problem.ts';

/**
 * The small vocabulary of errors a service may throw. The errors plugin maps each to application/problem+json
 * once; anything else becomes a 500 with no internals in the response.
 */
export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly errors: FieldError[] | undefined;
  /** Extra problem members (RFC 9457 extensions), e.g. stepUpUrl, or the current record on an edit conflict. */
  readonly extensions: Record<string, unknown>;
  constructor(
    status: number,
    title: string,
    detail: string,
    errors?: FieldError[],
    extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.status = status;
    this.title = title;
    this.type = `https://builder-insights.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`;
    this.errors = errors;
    this.extensions = extensions;
  }
}

export class ValidationError extends AppError {
  constructor(detail: string, errors: FieldError[]) {
    super(400, 'Invalid request', detail, errors);
  }
}
export class UnauthorizedError extends AppError {
  constructor(detail = 'Sign in to continue.') {
    super(401, 'Unauthorized', detail);
  }
}
export class ForbiddenError extends AppError {
  constructor(detail = 'Your role does not allow this.') {
    super(403, 'Forbidden', detail);
  }
}
export class NotFoundError extends AppError {
  constructor(what = 'resource') {
    super(404, 'Not found', `No such ${what}, or it is outside your scope.`);
  }
}
/** A privileged action needs a recent (MFA) authentication: the client sends the person to stepUpUrl. */
export class StepUpRequiredError extends AppError {
  constructor(detail: string, stepUpUrl: string) {
    super(403, 'Step-up required', detail, undefined, { stepUpUrl });
  }
}
export class TooManyAttemptsError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, 'Too many requests', detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
export class ConflictError extends AppError {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(409, 'Conflict', detail, undefined, extensions);
  }
}
