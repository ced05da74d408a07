import { z } from 'zod';

/**
 * Audit events of refused requests: evidence of what a signed-in person tried and was not allowed to do, written
 * by one hook (server/modules/audit/audit.denials.ts) rather than per route. Throttled per person and route so a
 * flood of refusals cannot flood the chain: `suppressed` counts the refusals of the same kind, person and route
 * that were not written since the previous event. Failures other modules already record (sign-in, break-glass,
 * SCIM credentials, API token scopes) are not recorded again here. Part of the one catalog (audit-events.ts).
 */
export const REQUEST_AUDIT_EVENTS = {
  'access.denied': {
    targetType: 'route',
    description:
      'A signed-in person was refused (403) a state-changing request (POST, PUT, PATCH, DELETE) or any request ' +
      'to an admin-only route (target = the route template). At most one per person and route every 10 seconds.',
    details: z.object({
      method: z.string(),
      route: z.string(),
      status: z.number().int(),
      reason: z
        .string()
        .nullable()
        .describe('The problem type of the refusal: forbidden, step_up_required; null when none was given'),
      suppressed: z
        .number()
        .int()
        .describe('Refusals of this person and route not written since the last one'),
    }),
  },
  'request.rejected': {
    targetType: 'route',
    description:
      "An admin's state change on an admin-only route was refused as invalid or conflicting (400, 409, 422): " +
      'the field names the problem gave, never their values. At most one per person and route every 10 seconds.',
    details: z.object({
      method: z.string(),
      route: z.string(),
      status: z.number().int(),
      fields: z.array(z.string()).describe('Field names of the problem (body.reason, query.limit, …)'),
      suppressed: z
        .number()
        .int()
        .describe('Rejections of this person and route not written since the last one'),
    }),
  },
} as const satisfies Record<string, { targetType: string; description: string; details: z.ZodType }>;
