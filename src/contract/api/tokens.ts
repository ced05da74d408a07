import { z } from 'zod';
import type { Role } from '../roles.ts';
import { Cursor, IsoDateTime, PageLimit, refuseControlCharacters, Uuid } from './common.ts';

/**
 * API token scopes: read or write per resource. A token's scopes limit what it may do; its owner's current
 * role and reporting scope limit what it may see. Dependency-light: the web apps import it.
 */
export const TOKEN_SCOPES = [
  'insights:read',
  'insights:write',
  'events:read',
  'events:write',
  'people:read',
  'reporting:read',
  'readiness:read',
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const TokenScopeSchema = z.enum(TOKEN_SCOPES);

const READ_SCOPES = TOKEN_SCOPES.filter((s) => s.endsWith(':read'));
/**
 * Scopes each role may hold: viewers read only; advocates read and capture (`insights:write`) but do not
 * manage events; managers and admins everything. The server re-checks this on every request against the
 * owner's current role; the web app uses it to grey out scopes beyond the person's role.
 */
export const TOKEN_SCOPES_BY_ROLE: Record<Role, readonly TokenScope[]> = {
  viewer: READ_SCOPES,
  advocate: [...READ_SCOPES, 'insights:write'],
  manager: TOKEN_SCOPES,
  admin: TOKEN_SCOPES,
};

/** Every token expires; 90 days is the longest lifetime policy allows. */
export const TOKEN_MAX_DAYS = 90;
export const TOKEN_KINDS = ['personal', 'service'] as const;

/**
 * A token's own request budget, per minute and per operation (each token has its own counter). Null means
 * the operation's default budget. A personal token may choose up to the default read budget a signed-in
 * person gets; more needs a service token, which an admin approves.
 */
export const TOKEN_RATE_MIN = 10;
export const TOKEN_RATE_MAX = 3000;
export const TOKEN_PERSONAL_RATE_MAX = 600;
export const TOKEN_STATUSES = ['requested', 'approved', 'active', 'rejected', 'revoked'] as const;

export const ApiTokenSummary = z.object({
  id: Uuid,
  kind: z.enum(TOKEN_KINDS),
  name: z.string(),
  prefix: z.string().nullable().describe('The visible start of the token, to recognise it'),
  scopes: z.array(TokenScopeSchema),
  status: z.enum(TOKEN_STATUSES),
  owner: z.object({ id: Uuid, name: z.string() }),
  lifetimeDays: z.number().int(),
  justification: z.string().nullable(),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime.nullable(),
  lastUsedAt: IsoDateTime.nullable(),
  decidedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  decidedAt: IsoDateTime.nullable(),
  decisionNote: z.string().nullable(),
  revokedAt: IsoDateTime.nullable(),
  revokeReason: z.string().nullable(),
  rateLimitPerMinute: z
    .number()
    .int()
    .nullable()
    .describe('Requests per minute per operation for this token; null = each operation’s default budget'),
});
export type ApiTokenSummary = z.infer<typeof ApiTokenSummary>;

/** A token's name: what it is for, so its owner and admins recognise it in a list. */
export const TOKEN_NAME_MAX = 100;
export const TOKEN_TEXT_MAX = 1000;
/** Tokens a person may hold at once (requested, approved or active and not yet expired). */
export const TOKEN_MAX_OPEN_PER_PERSON = 20;

const tokenName = z.string().trim().min(1, 'must not be empty').max(TOKEN_NAME_MAX);
const reasonText = z.string().trim().max(TOKEN_TEXT_MAX);

const tokenScopes = z
  .array(TokenScopeSchema)
  .min(1, 'must name at least one scope')
  .max(TOKEN_SCOPES.length)
  .refine((scopes) => new Set(scopes).size === scopes.length, 'must not repeat a scope');

/** A personal token: acts as its owner, within the owner's current role and scope, until it expires. */
export const TokenCreate = refuseControlCharacters(
  z.strictObject({
    name: tokenName,
    scopes: tokenScopes,
    expiresInDays: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(TOKEN_MAX_DAYS, `must be at most ${TOKEN_MAX_DAYS}`)
      .describe(`Lifetime in days (1–${TOKEN_MAX_DAYS}); for a service token it starts when it is issued`),
    rateLimitPerMinute: z
      .number()
      .int('must be a whole number')
      .min(TOKEN_RATE_MIN, `must be at least ${TOKEN_RATE_MIN}`)
      .max(TOKEN_RATE_MAX, `must be at most ${TOKEN_RATE_MAX}`)
      .nullable()
      .optional()
      .describe(
        `This token's own budget: requests per minute per operation (${TOKEN_RATE_MIN}–${TOKEN_RATE_MAX}; ` +
          `personal tokens at most ${TOKEN_PERSONAL_RATE_MAX}). Omitted or null: each operation's default budget`,
      ),
  }),
);
export type TokenCreate = z.input<typeof TokenCreate>;

/** A service token request: an admin (not the requester) approves it before the requester can issue it. */
export const TokenRequestCreate = refuseControlCharacters(
  TokenCreate.extend({
    justification: z.string().trim().min(1, 'must say what the token is for').max(TOKEN_TEXT_MAX),
  }),
);
export type TokenRequestCreate = z.input<typeof TokenRequestCreate>;

export const TokenRevoke = refuseControlCharacters(z.strictObject({ reason: reasonText.optional() }));
export const TokenAdminRevoke = refuseControlCharacters(
  z.strictObject({ reason: reasonText.min(1, 'must say why') }),
);
export const TokenDecision = refuseControlCharacters(
  z.strictObject({ note: reasonText.min(1, 'must explain the decision') }),
);

export const TokenListQuery = refuseControlCharacters(
  z.strictObject({
    limit: PageLimit,
    cursor: Cursor.optional().describe('nextCursor of the previous page'),
  }),
);
export const TokenAdminListQuery = refuseControlCharacters(
  TokenListQuery.extend({
    status: z.enum(TOKEN_STATUSES).optional(),
    kind: z.enum(TOKEN_KINDS).optional(),
  }),
);

export const ApiTokenPage = z.object({ items: z.array(ApiTokenSummary), nextCursor: z.string().nullable() });
export type ApiTokenPage = z.infer<typeof ApiTokenPage>;

/** The answer to creating or issuing a token: the only time the token itself is ever shown. */
export const ApiTokenIssued = ApiTokenSummary.extend({
  token: z.string().describe('The token: shown this once and never again (only its hash is stored)'),
});
export type ApiTokenIssued = z.infer<typeof ApiTokenIssued>;
