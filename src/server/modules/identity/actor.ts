import type { Role, Scope } from '../../../contract/roles.ts';
import { currentTraceId } from '../../observability/tracing.ts';

/** How the caller proved who they are. */
export type ActorVia = 'session' | 'break_glass' | 'token';

/** Who is calling, resolved once per request by the actor plugin and passed to every service. */
export interface Actor {
  personId: string;
  name: string;
  email: string;
  team: string | null;
  /** The person's role and scope as of this request (re-derived from the org inputs, never a stale copy). */
  role: Role;
  scope: Scope;
  /** The session (cookie or break-glass); null when the caller used an API token. */
  sessionId: string | null;
  amr: string[];
  via: ActorVia;
  /** When the session last met the MFA expectation; step-up compares it with the model's freshness window. */
  mfaAt: Date | null;
  tokenId: string | null;
  /** The token's scopes (`insights:read`, …); null for sessions. */
  tokenScopes: string[] | null;
  /**
   * The token's own budget in requests per minute per operation; null or absent = each operation's default
   * (always for sessions). A personal token's budget only lowers the default (`mayRaise: false`); an
   * admin-approved service token's replaces it.
   */
  tokenRateLimit?: { perMinute: number; mayRaise: boolean } | null;
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
    // A job runs inside its own root span: its audit events join that trace.
    traceId: currentTraceId(),
    actor: null,
  };
}
