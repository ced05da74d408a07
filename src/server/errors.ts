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
  constructor(status: number, title: string, detail: string, errors?: FieldError[]) {
    super(detail);
    this.status = status;
    this.title = title;
    this.type = `https://builder-insights.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`;
    this.errors = errors;
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
export class ConflictError extends AppError {
  constructor(detail: string) {
    super(409, 'Conflict', detail);
  }
}
