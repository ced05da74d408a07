import { z } from 'zod';
import {
  EXCEPTION_APPROVER_POLICIES,
  type ExceptionApproverPolicy,
  RULES_APPROVAL_POLICIES,
  type RulesApprovalPolicy,
} from '../contract/api/access.ts';
import { LIMITS } from '../contract/limits.ts';
import { ROLES, type Role } from '../contract/roles.ts';
import {
  type AuditSettings,
  OBSERVABILITY_HELP,
  ObservabilityEnv,
  type ObservabilitySettings,
  observabilityFrom,
} from './config.observability.ts';
import { READINESS_HELP, ReadinessEnv, type ReadinessSettings, readinessFrom } from './config.readiness.ts';

/**
 * The only reader of process.env. Everything is validated at start-up; an error names the variable and how to
 * fix it. `.env.example` documents every variable listed in HELP below (a test keeps the two in step).
 */
export const HELP = {
  NODE_ENV: 'development | test | production',
  PORT: 'TCP port for HTTP, e.g. PORT=3000',
  HOST: 'interface to bind, e.g. HOST=0.0.0.0 in a container (default 127.0.0.1; 0.0.0.0 in production)',
  PUBLIC_URL:
    'the URL people reach the app at, without a trailing slash, e.g. PUBLIC_URL=https://bi.example.com',
  DATA_DIR: 'directory for embedded data (PGlite database, dev secrets), e.g. DATA_DIR=./.data',
  DATABASE_URL: 'PostgreSQL connection string, e.g. postgres://user@host:5432/db; unset = embedded PGlite',
  DATABASE_POOL_MAX: 'maximum PostgreSQL connections per process, e.g. DATABASE_POOL_MAX=10',
  LOG_LEVEL: 'fatal | error | warn | info | debug | trace | silent',
  OIDC_ISSUER:
    'the trusted OIDC issuer URL (your Okta org or authorization server); unset = dev identity provider',
  OIDC_CLIENT_ID: 'the OIDC client id registered for this app at the identity provider',
  OIDC_CLIENT_SECRET: 'the OIDC client secret registered for this app (from the platform secret store)',
  OIDC_SCOPES: 'space-separated scopes to request, e.g. "openid email profile groups"',
  UNIVERSAL_LOGOUT_ISSUER:
    'issuer of Okta Universal Logout requests when it is not OIDC_ISSUER, e.g. the org https://acme.okta.com while OIDC_ISSUER is https://acme.okta.com/oauth2/default (default: OIDC_ISSUER)',
  SESSION_SECRET: 'at least 32 random characters used to derive CSRF tokens, e.g. `openssl rand -base64 48`',
  SESSION_IDLE_MINUTES: 'minutes of inactivity before a non-admin session ends (default 480)',
  SESSION_ADMIN_IDLE_MINUTES: 'minutes of inactivity before an admin session ends (default 30)',
  SESSION_ABSOLUTE_HOURS: 'hours after sign-in when any session ends regardless of activity (default 12)',
  ROLE_GROUPS:
    'JSON object mapping IdP group name to role, e.g. {"bi-admins":"admin","builder-relations":"advocate"}',
  TEAM_GROUP_PREFIX:
    "IdP groups starting with this prefix name the person's team, e.g. TEAM_GROUP_PREFIX=br-team-",
  ORG_WIDE_GROUPS: 'comma-separated IdP groups whose members report across the whole org, e.g. br-leadership',
  ENTITLEMENT_RULES_APPROVAL:
    'second_admin (a rule change waits for a different admin to approve it; default) | single_admin (active at once)',
  EXCEPTION_APPROVERS:
    "admin_or_manager (an admin, or the subject's direct manager for roles below admin; default) | admin",
  BODY_LIMIT_BYTES: 'largest accepted request body in bytes (default 1048576)',
  BREAK_GLASS_IDP_DOWN_MINUTES:
    'minutes the identity provider must have been unreachable before break-glass opens without approval (default 5)',
  BREAK_GLASS_SESSION_MINUTES: 'lifetime of a break-glass session in minutes, at most 60 (default 60)',
  BREAK_GLASS_WEBHOOK_URL: 'optional https URL that receives a JSON alert on every break-glass use',
  TRUST_PROXY:
    'number of proxy hops in front of the app whose X-Forwarded-For to trust (e.g. 1 behind the ingress), or false',
  RATE_LIMIT_SCALE:
    'tests only: multiplies every route rate-limit budget, 0.01-1 (default 1; must stay 1 in production), e.g. RATE_LIMIT_SCALE=0.05',
  DEMO_DATA: 'auto (seed demo data into an empty embedded database on the dev identity provider) | off',
  JOBS: 'in-process (run scheduled jobs inside the server) | external (Kubernetes CronJobs run `bi jobs run`)',
  DEV_IDP_PORT: 'port of the embedded dev identity provider (development only; default PORT+1)',
  STT_URL:
    'base URL of an OpenAI-compatible speech-to-text API, e.g. STT_URL=https://api.openai.com/v1; unset = no transcription',
  STT_API_KEY: 'API key sent as Authorization: Bearer to STT_URL (from the platform secret store)',
  STT_MODEL: 'speech-to-text model name, e.g. STT_MODEL=whisper-1 (default whisper-1)',
  STT_TIMEOUT_MS: 'milliseconds to wait for the speech-to-text provider, 100-120000 (default 20000)',
  REPORT_SUMMARY_URL:
    'base URL of an OpenAI-compatible chat completions API for the optional executive-report summary, e.g. REPORT_SUMMARY_URL=https://api.openai.com/v1; unset = no summary',
  REPORT_SUMMARY_API_KEY:
    'API key sent as Authorization: Bearer to REPORT_SUMMARY_URL (from the platform secret store)',
  REPORT_SUMMARY_MODEL: 'chat model name, e.g. REPORT_SUMMARY_MODEL=gpt-4o-mini (default gpt-4o-mini)',
  REPORT_SUMMARY_TIMEOUT_MS: 'milliseconds to wait for the summary provider, 100-120000 (default 30000)',
  SLACK_DIGEST_WEBHOOK_URL:
    'Slack incoming-webhook URL of the team channel for the weekly digest (a secret); unset = no digest is posted',
  DIGEST_SEND_DAY: 'weekday the weekly digest is posted, monday … sunday (default monday)',
  DIGEST_SEND_HOUR_UTC:
    'hour (UTC, 0-23) from which the weekly digest is posted on DIGEST_SEND_DAY (default 8)',
  SLACK_DIGEST_TIMEOUT_MS: 'milliseconds to wait for Slack to accept the digest, 100-60000 (default 10000)',
  ...OBSERVABILITY_HELP,
  ...READINESS_HELP,
} as const;

type EnvName = keyof typeof HELP;

const DEFAULT_ROLE_GROUPS: Record<string, Role> = {
  'bi-admins': 'admin',
  'bi-managers': 'manager',
  'builder-relations': 'advocate',
  'bi-viewers': 'viewer',
};

const intIn = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number between ${min} and ${max}` })
    .int(`must be a whole number between ${min} and ${max}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const url = z.url({ error: 'must be an absolute URL such as https://example.com' });

const roleGroups = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), z.enum(ROLES, { error: `roles are ${ROLES.join(', ')}` })));

/** Weekdays in ISO order (Monday = 1 … Sunday = 7 is the index + 1). */
export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: intIn(1, 65535).default(3000),
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: url.optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_MAX: intIn(1, 100).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OIDC_ISSUER: url.optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().min(1).default('openid email profile groups'),
  UNIVERSAL_LOGOUT_ISSUER: url.optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: intIn(5, 24 * 60).default(480),
  SESSION_ADMIN_IDLE_MINUTES: intIn(5, 24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: intIn(1, 72).default(12),
  ROLE_GROUPS: roleGroups.optional(),
  TEAM_GROUP_PREFIX: z.string().min(1).default('br-team-'),
  ORG_WIDE_GROUPS: z.string().default('br-leadership'),
  ENTITLEMENT_RULES_APPROVAL: z.enum(RULES_APPROVAL_POLICIES).default('second_admin'),
  EXCEPTION_APPROVERS: z.enum(EXCEPTION_APPROVER_POLICIES).default('admin_or_manager'),
  BODY_LIMIT_BYTES: intIn(1024, 50 * 1024 * 1024).default(LIMITS.bodyBytes),
  BREAK_GLASS_IDP_DOWN_MINUTES: intIn(1, 24 * 60).default(5),
  BREAK_GLASS_SESSION_MINUTES: intIn(5, 60).default(60),
  BREAK_GLASS_WEBHOOK_URL: url.optional(),
  // Never "true": trusting every X-Forwarded-For hop lets any client choose the IP we rate-limit and audit.
  TRUST_PROXY: z
    .union([z.literal('false'), z.string().regex(/^\d{1,2}$/, 'must be false or a number of hops such as 1')])
    .default('false'),
  RATE_LIMIT_SCALE: z.coerce
    .number({ error: 'must be a number between 0.01 and 1' })
    .min(0.01, 'must be at least 0.01')
    .max(1, 'must be at most 1 (a budget is never raised)')
    .default(1),
  DEMO_DATA: z.enum(['auto', 'off']).default('auto'),
  JOBS: z.enum(['in-process', 'external']).default('in-process'),
  DEV_IDP_PORT: intIn(1, 65535).optional(),
  STT_URL: url.optional(),
  STT_API_KEY: z.string().min(1).optional(),
  STT_MODEL: z.string().min(1).max(100).default('whisper-1'),
  STT_TIMEOUT_MS: intIn(100, 120_000).default(20_000),
  REPORT_SUMMARY_URL: url.optional(),
  REPORT_SUMMARY_API_KEY: z.string().min(1).optional(),
  REPORT_SUMMARY_MODEL: z.string().min(1).max(100).default('gpt-4o-mini'),
  REPORT_SUMMARY_TIMEOUT_MS: intIn(100, 120_000).default(30_000),
  SLACK_DIGEST_WEBHOOK_URL: url.optional(),
  DIGEST_SEND_DAY: z
    .string()
    .transform((day) => day.trim().toLowerCase())
    .pipe(z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` }))
    .default('monday'),
  DIGEST_SEND_HOUR_UTC: intIn(0, 23).default(8),
  SLACK_DIGEST_TIMEOUT_MS: intIn(100, 60_000).default(10_000),
  ...ObservabilityEnv,
  ...ReadinessEnv,
});

/** The weekly Slack digest: where it goes (a secret) and when the schedule posts it. */
export interface DigestSettings {
  /** Secret: the webhook URL is a bearer credential for the channel. Never logged or returned; undefined = off. */
  webhookUrl: string | undefined;
  sendDay: Weekday;
  sendHourUtc: number;
  timeoutMs: number;
}

/** An OpenAI-compatible speech-to-text provider (`POST {url}/audio/transcriptions`). */
export interface SpeechToTextSettings {
  url: string;
  /** Secret: sent to the provider only, never logged or returned. */
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
}

/** An OpenAI-compatible chat completions provider for the executive summary (`POST {url}/chat/completions`). */
export interface ReportSummarySettings {
  url: string;
  /** Secret: sent to the provider only, never logged or returned. */
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  publicUrl: string;
  secureCookies: boolean;
  dataDir: string;
  database:
    | { kind: 'pglite'; dataDir: string }
    | { kind: 'postgres'; url: string; poolMax: number; runtimeRole?: string | undefined };
  logLevel: string;
  oidc: {
    /** undefined: the embedded dev identity provider is started and trusted (never in production). */
    issuer: string | undefined;
    clientId: string;
    clientSecret: string;
    scopes: string;
    redirectUri: string;
    postLogoutRedirectUri: string;
  };
  /** Who signs Universal Logout requests, when not the OIDC issuer (Okta's org authorization server). */
  universalLogoutIssuer: string | undefined;
  devIdpPort: number;
  /** undefined outside production until resolved from DATA_DIR (see main.ts). */
  sessionSecret: string | undefined;
  session: { idleMinutes: number; adminIdleMinutes: number; absoluteHours: number };
  access: { roleGroups: Record<string, Role>; teamGroupPrefix: string; orgWideGroups: string[] };
  /** Who approves entitlement-rule changes and access exceptions. */
  approvals: { entitlementRules: RulesApprovalPolicy; exceptions: ExceptionApproverPolicy };
  bodyLimit: number;
  breakGlass: { idpDownMinutes: number; sessionMinutes: number; webhookUrl: string | undefined };
  /** false, or how many proxy hops to trust. */
  trustProxy: false | number;
  /** Every route's rate-limit budget times this (tests lower them; always 1 in production). */
  rateLimitScale: number;
  demoData: 'auto' | 'off';
  jobs: 'in-process' | 'external';
  /** null: no provider; voice captures become drafts the person types up (no audio leaves the app). */
  speechToText: SpeechToTextSettings | null;
  /** null: no provider; the executive report has no generated summary (nothing leaves the app). Off by default. */
  reportSummary: ReportSummarySettings | null;
  digest: DigestSettings;
  observability: ObservabilitySettings;
  audit: AuditSettings;
  readiness: ReadinessSettings;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export const DEV_CLIENT = { id: 'builder-insights-dev', secret: 'dev-only-client-secret-not-for-production' };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(pick(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]) as EnvName;
        return `${name}: ${issue.message} (got ${JSON.stringify(env[name])}). Set ${name} to ${HELP[name]}.`;
      }),
    );
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');

  const problems: string[] = [];
  if (production) {
    if (!e.OIDC_ISSUER)
      problems.push(
        'OIDC_ISSUER: required in production; the dev identity provider never runs there. Set OIDC_ISSUER to the Okta issuer URL.',
      );
    else if (!e.OIDC_ISSUER.startsWith('https://'))
      problems.push('OIDC_ISSUER: must use https:// in production. Set OIDC_ISSUER to the https issuer URL.');
    if (!e.OIDC_CLIENT_ID)
      problems.push(`OIDC_CLIENT_ID: required in production. Set it to ${HELP.OIDC_CLIENT_ID}.`);
    if (!e.OIDC_CLIENT_SECRET)
      problems.push(`OIDC_CLIENT_SECRET: required in production. Set it to ${HELP.OIDC_CLIENT_SECRET}.`);
    if (!e.SESSION_SECRET)
      problems.push(`SESSION_SECRET: required in production. Set SESSION_SECRET to ${HELP.SESSION_SECRET}.`);
    if (!publicUrl.startsWith('https://'))
      problems.push(
        'PUBLIC_URL: must use https:// in production (session cookies are Secure). Set PUBLIC_URL.',
      );
    if (e.BREAK_GLASS_WEBHOOK_URL && !e.BREAK_GLASS_WEBHOOK_URL.startsWith('https://'))
      problems.push(
        'BREAK_GLASS_WEBHOOK_URL: must use https:// in production (the alert leaves the cluster).',
      );
    if (e.UNIVERSAL_LOGOUT_ISSUER && !e.UNIVERSAL_LOGOUT_ISSUER.startsWith('https://'))
      problems.push('UNIVERSAL_LOGOUT_ISSUER: must use https:// in production.');
    if (e.RATE_LIMIT_SCALE !== 1)
      problems.push(
        'RATE_LIMIT_SCALE: for tests only; unset it in production (the budgets stay as documented).',
      );
    if (!e.DATABASE_URL)
      problems.push(
        'DATABASE_URL: required in production; embedded PGlite is single-process and for local use only.',
      );
    if (e.STT_URL && !e.STT_URL.startsWith('https://'))
      problems.push(
        'STT_URL: must use https:// in production (recordings and the API key leave the app). Set STT_URL to the https base URL.',
      );
    if (e.REPORT_SUMMARY_URL && !e.REPORT_SUMMARY_URL.startsWith('https://'))
      problems.push(
        'REPORT_SUMMARY_URL: must use https:// in production (report figures, quotes and the API key leave the app). Set REPORT_SUMMARY_URL to the https base URL.',
      );
  }
  const webhook = e.SLACK_DIGEST_WEBHOOK_URL;
  // The URL is the credential: it never goes out in clear text, except to a local test receiver outside production.
  if (
    webhook &&
    !webhook.startsWith('https://') &&
    (production || !/^http:\/\/127\.0\.0\.1(:\d+)?\//.test(webhook))
  )
    problems.push(
      production
        ? 'SLACK_DIGEST_WEBHOOK_URL: must use https:// in production. Set it to the https webhook URL Slack gave you.'
        : 'SLACK_DIGEST_WEBHOOK_URL: must use https:// (http only to 127.0.0.1, for local tests). Set it to the https webhook URL.',
    );
  if (e.REPORT_SUMMARY_API_KEY && !e.REPORT_SUMMARY_URL)
    problems.push(
      'REPORT_SUMMARY_API_KEY: set, but REPORT_SUMMARY_URL is not. Set REPORT_SUMMARY_URL to the provider base URL, or unset the key.',
    );
  if (e.STT_API_KEY && !e.STT_URL)
    problems.push(
      'STT_API_KEY: set, but STT_URL is not. Set STT_URL to the provider base URL, or unset the key.',
    );
  if (e.OIDC_ISSUER && (!e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) && !production)
    problems.push('OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: required whenever OIDC_ISSUER is set.');
  const host = e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');
  const obs = observabilityFrom(e, { host, dataDir: e.DATA_DIR, production }, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    dataDir: e.DATA_DIR,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, runtimeRole: obs.runtimeRole }
      : { kind: 'pglite', dataDir: e.DATA_DIR },
    logLevel: e.LOG_LEVEL,
    oidc: {
      issuer: e.OIDC_ISSUER?.replace(/\/+$/, ''),
      clientId: e.OIDC_CLIENT_ID ?? DEV_CLIENT.id,
      clientSecret: e.OIDC_CLIENT_SECRET ?? DEV_CLIENT.secret,
      scopes: e.OIDC_SCOPES,
      redirectUri: `${publicUrl}/auth/callback`,
      postLogoutRedirectUri: `${publicUrl}/`,
    },
    universalLogoutIssuer: e.UNIVERSAL_LOGOUT_ISSUER?.replace(/\/+$/, ''),
    devIdpPort: e.DEV_IDP_PORT ?? e.PORT + 1,
    sessionSecret: e.SESSION_SECRET,
    session: {
      idleMinutes: e.SESSION_IDLE_MINUTES,
      adminIdleMinutes: e.SESSION_ADMIN_IDLE_MINUTES,
      absoluteHours: e.SESSION_ABSOLUTE_HOURS,
    },
    access: {
      roleGroups: e.ROLE_GROUPS ?? DEFAULT_ROLE_GROUPS,
      teamGroupPrefix: e.TEAM_GROUP_PREFIX,
      orgWideGroups: e.ORG_WIDE_GROUPS.split(',')
        .map((g) => g.trim())
        .filter(Boolean),
    },
    approvals: { entitlementRules: e.ENTITLEMENT_RULES_APPROVAL, exceptions: e.EXCEPTION_APPROVERS },
    bodyLimit: e.BODY_LIMIT_BYTES,
    breakGlass: {
      idpDownMinutes: e.BREAK_GLASS_IDP_DOWN_MINUTES,
      sessionMinutes: e.BREAK_GLASS_SESSION_MINUTES,
      webhookUrl: e.BREAK_GLASS_WEBHOOK_URL,
    },
    trustProxy: e.TRUST_PROXY === 'false' ? false : Number(e.TRUST_PROXY),
    rateLimitScale: e.RATE_LIMIT_SCALE,
    demoData: e.DEMO_DATA,
    jobs: e.JOBS,
    speechToText: e.STT_URL
      ? {
          url: e.STT_URL.replace(/\/+$/, ''),
          apiKey: e.STT_API_KEY,
          model: e.STT_MODEL,
          timeoutMs: e.STT_TIMEOUT_MS,
        }
      : null,
    reportSummary: e.REPORT_SUMMARY_URL
      ? {
          url: e.REPORT_SUMMARY_URL.replace(/\/+$/, ''),
          apiKey: e.REPORT_SUMMARY_API_KEY,
          model: e.REPORT_SUMMARY_MODEL,
          timeoutMs: e.REPORT_SUMMARY_TIMEOUT_MS,
        }
      : null,
    digest: {
      webhookUrl: webhook,
      sendDay: e.DIGEST_SEND_DAY,
      sendHourUtc: e.DIGEST_SEND_HOUR_UTC,
      timeoutMs: e.SLACK_DIGEST_TIMEOUT_MS,
    },
    observability: obs.observability,
    audit: obs.audit,
    readiness: readinessFrom(e),
  };
}

/** Only the variables we know; empty strings count as unset (a blank line in an env file is not a value). */
function pick(env: NodeJS.ProcessEnv): Partial<Record<EnvName, string>> {
  const out: Partial<Record<EnvName, string>> = {};
  for (const name of Object.keys(HELP) as EnvName[]) {
    const value = env[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

/**
 * Where the built web apps live, relative to the repository: dist/web, or WEB_DIST (a developer convenience,
 * read by vite.config.ts too, so parallel builds and browser-test runs never overwrite each other). Not part of
 * the deployment configuration: the image always serves dist/web.
 */
export function webDistDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.WEB_DIST ?? 'dist/web';
}
