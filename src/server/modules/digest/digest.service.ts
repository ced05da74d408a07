import { createHash, randomUUID } from 'node:crypto';
import {
  type DigestPreview,
  type DigestRun,
  type DigestRunList,
  type DigestSettings,
  type DigestStats,
  SLACK_LIMITS,
} from '../../../contract/api/digest.ts';
import { ReportQuery } from '../../../contract/api/reporting.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { AppError, ConflictError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { reportConditions, resolveReportQuery, utcDay } from '../insights/insights.filter.ts';
import { dashboardData, readSnapshot } from '../reporting/dashboard.service.ts';
import { themesFor } from '../themes/themes.service.ts';
import { buildDigestMessage } from './digest.blocks.ts';
import type { DigestWeek } from './digest.period.ts';
import { previousWeek } from './digest.period.ts';
import { authorizeDigest } from './digest.policy.ts';
import * as repo from './digest.repo.ts';
import { postToSlack } from './digest.slack.ts';

export interface DigestDeps {
  db: Db;
  now: () => Date;
  config: Pick<Config, 'publicUrl' | 'digest'>;
}

/** Items per list in the digest (themes, negative feedback, events): Slack is read on a phone. */
const TOP = 5;
const TOP_TYPES = 3;
export const MAX_SCHEDULED_ATTEMPTS = 3;

/**
 * The digest of one ISO week for one actor's scope, from the dashboard's and the themes module's own numbers
 * (the same conditions: scope, merged duplicates once, the week's UTC days), read in one snapshot.
 */
export async function composeDigest(
  db: Db,
  actor: Actor,
  week: DigestWeek,
  now: Date,
  publicUrl: string,
): Promise<DigestPreview> {
  const resolved = resolveReportQuery(ReportQuery.parse({ period: 'week', at: week.start }), utcDay(now));
  const { data, themes, negative } = await readSnapshot(db, async (tx) => ({
    data: await dashboardData(tx, actor, resolved),
    themes: await themesFor(tx, actor, resolved.filter, resolved.period, now),
    negative: await repo.negativeHighlights(
      tx,
      reportConditions(actor, resolved.filter, { from: week.start, to: week.end }),
      TOP,
    ),
  }));
  const card = data.cards.find((c) => c.key === 'insights');
  const stats: DigestStats = {
    insights: { current: card?.value ?? 0, previous: card?.previous ?? 0, change: card?.change ?? null },
    sentiment: data.distributions.bySentiment,
    topTypes: data.distributions.byType
      .filter((t) => t.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, TOP_TYPES),
    themes: themes.themes
      .slice(0, TOP)
      .map((t) => ({ label: t.label, current: t.current, previous: t.previous, growth: t.growth })),
    negative: negative.map((n) => ({ ...n, url: `${publicUrl}/admin/insights/${n.id}` })),
    topEvents: data.topEvents.slice(0, TOP),
  };
  // The dashboard reads ?period=week&at=<a day of the week> (see web/admin/features/reports/reportQuery.ts).
  const dashboardUrl = `${publicUrl}/admin/?period=week&at=${week.start}`;
  const message = buildDigestMessage({ week, scopeLabel: data.scopeLabel, dashboardUrl, stats });
  return {
    scopeLabel: data.scopeLabel,
    period: {
      start: week.start,
      end: week.end,
      previousStart: week.previousStart,
      previousEnd: week.previousEnd,
      label: week.label,
    },
    dashboardUrl,
    stats,
    blocks: message.blocks.slice(0, SLACK_LIMITS.blocks) as DigestPreview['blocks'],
    text: message.text,
    generatedAt: now.toISOString(),
  };
}

/** What is posted: Slack's webhook body (blocks plus the notification/fallback text). */
export const slackPayload = (preview: DigestPreview) =>
  JSON.stringify({ text: preview.text, blocks: preview.blocks });

/**
 * Posts a claimed run and records its outcome: the run row's final state and its digest.sent / digest.failed
 * audit event commit together. Never throws for Slack's sake; a failure is a recorded outcome.
 */
export async function deliver(
  deps: Pick<DigestDeps, 'db' | 'now' | 'config'>,
  ctx: RequestContext,
  run: { id: string; trigger: 'schedule' | 'manual'; week: DigestWeek },
  payload: string | null,
) {
  const webhookUrl = deps.config.digest.webhookUrl as string;
  const result = payload
    ? await postToSlack(webhookUrl, payload, deps.config.digest.timeoutMs)
    : { ok: false, httpStatus: null, error: 'build_failed' as const };
  const payloadSha256 = createHash('sha256')
    .update(payload ?? '')
    .digest('hex');
  await deps.db.transaction(async (tx) => {
    await repo.finishRun(tx, run.id, {
      status: result.ok ? 'sent' : 'failed',
      httpStatus: result.httpStatus,
      error: result.error,
      payloadSha256,
      finishedAt: deps.now(),
    });
    const common = { runId: run.id, trigger: run.trigger, periodStart: run.week.start };
    if (result.ok)
      await audit(tx, ctx, {
        action: 'digest.sent',
        targetId: run.id,
        details: { ...common, periodEnd: run.week.end, httpStatus: result.httpStatus ?? 0, payloadSha256 },
      });
    else
      await audit(tx, ctx, {
        action: 'digest.failed',
        outcome: 'failure',
        targetId: run.id,
        details: { ...common, reason: result.error ?? 'unknown', httpStatus: result.httpStatus },
      });
  });
  return result;
}

/** GET /api/v1/digest/preview: last week's digest in the caller's scope; posts nothing. */
export async function previewDigest(deps: DigestDeps, ctx: RequestContext): Promise<DigestPreview> {
  const actor = requireActor(ctx);
  authorizeDigest(actor);
  const now = deps.now();
  return composeDigest(deps.db, actor, previousWeek(now), now, deps.config.publicUrl);
}

const NOT_CONFIGURED =
  'No Slack webhook is configured (SLACK_DIGEST_WEBHOOK_URL), so the digest cannot be sent. Ask the platform team.';

/**
 * POST /api/v1/digest/send: posts exactly what the caller's preview shows (their own scope, labelled so) and
 * records a manual run. 409 when no webhook is configured; 502 when Slack refused it (the run says why).
 */
export async function sendDigestNow(deps: DigestDeps, ctx: RequestContext): Promise<DigestRun> {
  const actor = requireActor(ctx);
  authorizeDigest(actor);
  if (!deps.config.digest.webhookUrl) throw new ConflictError(NOT_CONFIGURED);
  const now = deps.now();
  const week = previousWeek(now);
  const preview = await composeDigest(deps.db, actor, week, now, deps.config.publicUrl);
  const id = randomUUID();
  await repo.insertManualRun(deps.db, {
    id,
    periodStart: week.start,
    periodEnd: week.end,
    actorId: actor.personId,
    now,
  });
  const result = await deliver(deps, ctx, { id, trigger: 'manual', week }, slackPayload(preview));
  const run = await repo.findRun(deps.db, id);
  if (!result.ok)
    throw new AppError(
      502,
      'Bad gateway',
      `Slack did not accept the digest (${result.error}${result.httpStatus ? `, HTTP ${result.httpStatus}` : ''}). The run is recorded as failed.`,
    );
  return run as DigestRun;
}

export async function listRuns(deps: DigestDeps, ctx: RequestContext, limit: number): Promise<DigestRunList> {
  authorizeDigest(requireActor(ctx));
  return { items: await repo.recentRuns(deps.db, limit) };
}

export function digestSettings(deps: DigestDeps, ctx: RequestContext): DigestSettings {
  authorizeDigest(requireActor(ctx));
  const { sendDay, sendHourUtc, webhookUrl } = deps.config.digest;
  const day = `${sendDay[0]?.toUpperCase()}${sendDay.slice(1)}`;
  return {
    configured: Boolean(webhookUrl),
    schedule: {
      day: sendDay,
      hourUtc: sendHourUtc,
      description: `Every ${day} from ${String(sendHourUtc).padStart(2, '0')}:00 UTC: the previous ISO week (Monday to Sunday), whole organization.`,
    },
    maxAttempts: MAX_SCHEDULED_ATTEMPTS,
  };
}
