import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { type Actor, systemContext } from '../identity/actor.ts';
import { dueAt, previousWeek } from './digest.period.ts';
import * as repo from './digest.repo.ts';
import { composeDigest, deliver, MAX_SCHEDULED_ATTEMPTS, slackPayload } from './digest.service.ts';

/**
 * Who the scheduled digest reads as: nobody in particular, with the whole organisation in scope (it posts to the
 * team channel the platform configured). Never a signed-in person, so it can never be used to act.
 */
const ORGANISATION: Actor = {
  personId: '00000000-0000-0000-0000-000000000000',
  name: 'Weekly digest',
  email: '',
  team: null,
  role: 'viewer',
  scope: { kind: 'all' },
  sessionId: null,
  amr: [],
  via: 'session',
  mfaAt: null,
  tokenId: null,
  tokenScopes: null,
};

export type WeeklyDigestResult =
  | { skipped: string; periodStart?: string; dueAt?: string }
  | { periodStart: string; status: 'sent' | 'failed'; httpStatus: number | null; attempt: number };

/**
 * The `weekly-digest` job (hourly). Once this week's send time has passed, the previous ISO week is posted once:
 * the first run claims the week by inserting its digest_runs row (a unique index makes a second claim fail, so
 * replicas and overlapping runs never both post); a failed week is taken back by a later run until
 * MAX_SCHEDULED_ATTEMPTS attempts failed. A run left "sending" (the process died mid-post) is not retried: Slack
 * may have shown it, and a digest twice is worse than an operator looking (docs/operations/slack-digest.md).
 */
export async function runWeeklyDigest(
  db: Db,
  now: Date,
  config: Pick<Config, 'publicUrl' | 'digest'>,
): Promise<WeeklyDigestResult> {
  if (!config.digest.webhookUrl) return { skipped: 'no webhook configured' };
  const due = dueAt(now, config.digest.sendDay, config.digest.sendHourUtc);
  if (now < due) return { skipped: 'not due yet', dueAt: due.toISOString() };
  const week = previousWeek(now);
  const existing = await repo.findScheduledWeek(db, week.start);
  let runId: string;
  let attempt = 1;
  if (!existing) {
    const claimed = await repo.claimScheduledWeek(db, {
      id: randomUUID(),
      periodStart: week.start,
      periodEnd: week.end,
      now,
    });
    if (!claimed) return { skipped: 'claimed by another run', periodStart: week.start };
    runId = claimed;
  } else if (existing.status === 'sent') {
    return { skipped: 'already sent', periodStart: week.start };
  } else if (existing.status === 'sending') {
    return { skipped: 'a run is sending it', periodStart: week.start };
  } else {
    const failed = await repo.failedAttempts(db, existing.id);
    if (failed >= MAX_SCHEDULED_ATTEMPTS)
      return { skipped: `failed ${failed} times; left failed`, periodStart: week.start };
    if (!(await repo.reclaimFailed(db, existing.id)))
      return { skipped: 'claimed by another run', periodStart: week.start };
    runId = existing.id;
    attempt = failed + 1;
  }

  let payload: string | null = null;
  let buildError: unknown = null;
  try {
    payload = slackPayload(await composeDigest(db, ORGANISATION, week, now, config.publicUrl));
  } catch (err) {
    // Recorded as a failed attempt (build_failed), so the week is retried rather than stuck in "sending";
    // rethrown below so the scheduler logs the cause.
    buildError = err;
  }
  const result = await deliver(
    { db, now: () => new Date(), config },
    systemContext('weekly-digest'),
    { id: runId, trigger: 'schedule', week },
    payload,
  );
  if (buildError) throw buildError;
  return {
    periodStart: week.start,
    status: result.ok ? 'sent' : 'failed',
    httpStatus: result.httpStatus,
    attempt,
  };
}
