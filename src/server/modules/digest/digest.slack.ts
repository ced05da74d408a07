import { readCapped } from '../../http/read-capped.ts';

/**
 * Why a post failed, in words safe for the run record, the audit log and logs: never Slack's body (it may echo
 * what we sent) and never the webhook URL (it is the channel's credential; fetch errors can carry it).
 */
export type SlackFailure = 'timeout' | 'unreachable' | 'http_status' | 'invalid_response';

export interface SlackPostResult {
  ok: boolean;
  httpStatus: number | null;
  error: SlackFailure | null;
}

/** Slack answers a webhook with "ok" or a short error code; anything longer is not an answer we need. */
const MAX_ANSWER_BYTES = 16 * 1024;

/** Posts one message to a Slack incoming webhook, within `timeoutMs` for the whole exchange; never throws. */
export async function postToSlack(
  webhookUrl: string,
  payload: string,
  timeoutMs: number,
): Promise<SlackPostResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: payload,
      signal,
      redirect: 'error',
    });
    // Read (bounded) even when refused, so the connection is released; the text itself is not kept.
    const answer = await readCapped(response, MAX_ANSWER_BYTES);
    if (!response.ok) return { ok: false, httpStatus: response.status, error: 'http_status' };
    if (answer === null) return { ok: false, httpStatus: response.status, error: 'invalid_response' };
    return { ok: true, httpStatus: response.status, error: null };
  } catch {
    return { ok: false, httpStatus: null, error: signal.aborted ? 'timeout' : 'unreachable' };
  }
}
