import { z } from 'zod';

/** RFC 9457 problem details, as every error of the API answers (`application/problem+json`). */
export const FieldError = z.object({
  field: z.string().describe('Where the problem is, e.g. "body.sentiment" or "query.limit"'),
  message: z.string(),
});

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(FieldError).optional(),
  stepUpUrl: z
    .string()
    .optional()
    .describe(
      'On 403 step-up-required: open this URL with ?returnTo=<your page> to re-authenticate, then retry',
    ),
});
export type Problem = z.infer<typeof Problem>;
export type FieldError = z.infer<typeof FieldError>;
