import { RATE } from '../../plugins/rate-limit.ts';
import { ScimError } from './scim.schemas.ts';

/** What every SCIM route declares: its own auth mode, the per-credential rate limit, SCIM error answers. */
export const scimRoute = { auth: 'scim', kind: 'api', rateLimit: RATE.scim } as const;

export const scimErrors = {
  400: ScimError,
  401: ScimError,
  403: ScimError,
  404: ScimError,
  409: ScimError,
  413: ScimError,
  415: ScimError,
  429: ScimError,
  500: ScimError,
};

export const tags = ['scim'];
