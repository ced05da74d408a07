import { z } from 'zod';
import { IsoDateTime, RoleSchema, ScopeSchema, Uuid } from './common.ts';

export const PERSON_STATUSES = ['provisional', 'active', 'deactivated'] as const;

export const Me = z.object({
  person: z.object({
    id: Uuid,
    name: z.string(),
    email: z.string(),
    team: z.string().nullable(),
    status: z.enum(PERSON_STATUSES),
  }),
  role: RoleSchema,
  scope: ScopeSchema,
  scopeLabel: z.string(),
  session: z.object({
    id: Uuid,
    createdAt: IsoDateTime,
    idleExpiresAt: IsoDateTime,
    absoluteExpiresAt: IsoDateTime,
    amr: z.array(z.string()),
  }),
  csrfToken: z.string().describe('Send as the X-CSRF-Token header on every state-changing request'),
  taxonomyVersion: z.string(),
});
export type Me = z.infer<typeof Me>;

export const LogoutResult = z.object({
  redirectTo: z.string().describe('Where the browser goes next: the identity provider end-session URL or /'),
});
