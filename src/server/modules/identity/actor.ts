import type { Role, Scope } from '../../../contract/roles.ts';

/** Who is calling, resolved once per request by the actor plugin and passed to every service. */
export interface Actor {
  personId: string;
  name: string;
  email: string;
  team: string | null;
  role: Role;
  scope: Scope;
  sessionId: string;
  amr: string[];
}

/** What every audit event and log line needs to know about the request, actor or not. */
export interface RequestContext {
  requestId: string;
  ip: string;
  userAgent: string | null;
  traceId: string | null;
  actor: Actor | null;
}

/** Context for work no HTTP request started (CLI, start-up, jobs): still attributable in the audit log. */
export function systemContext(source: string): RequestContext {
  return {
    requestId: `${source}:${crypto.randomUUID()}`,
    ip: 'local',
    userAgent: `builder-insights/${source}`,
    traceId: null,
    actor: null,
  };
}
