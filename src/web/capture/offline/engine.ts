import type { Insight, InsightBatchItemResult, InsightCreate } from '../../../contract/api/insights.ts';
import { backoffDelay } from './backoff.ts';
import type { CaptureDb } from './db.ts';
import {
  type Answer,
  editableFields,
  exclusive,
  flushTelemetry,
  isConflictWithCurrent,
  jsonRequest,
  outcome,
  SessionEnded,
  sameJson,
  TransportFailure,
  takeBatch,
} from './engine-support.ts';
import { deleteItemsInTx, patchItem } from './store.ts';
import { storeTelemetry, type TelemetryInput } from './telemetry.ts';
import { blobToBase64, type Fetch, fetchMe, problemFrom, send } from './transport.ts';
import type { BugItem, EditItem, InsightItem, OutboxItem, OutboxProblem } from './types.ts';

/**
 * The one drain of the outbox, shared by the page and the service worker (no React, no `window`: everything
 * from outside comes in through SyncDeps). Exactly once = at-least-once delivery + server idempotency: rows
 * leave IndexedDB only after the server answered for them, and a resend of anything the server already has is
 * answered 'duplicate' (insights, bug reports, telemetry) or 200 (attachments by id).
 */

export interface SyncDeps {
  db: CaptureDb;
  fetch: Fetch;
  now?: () => number;
  random?: () => number;
  /** navigator.onLine where there is one; only changes the words of the status. */
  isOnline?: () => boolean;
  /** navigator.locks (page, worker, Node); null: serialise in this realm only. */
  locks?: LockManager | null;
  appVersion?: string;
}

export interface DrainResult {
  state: 'idle' | 'waiting' | 'offline' | 'signed_out';
  /** The session belongs to someone else than the person the app thinks is signed in. */
  otherPerson: boolean;
  /** When the next automatic attempt is due (earliest backoff of an item still waiting), if any. */
  nextAttemptAt: number | null;
  /** Epoch ms when the server last answered a send during this drain. */
  answeredAt: number | null;
  lastError: string | null;
}

/**
 * Send everything of `personId` that is due (all of it with force: "Sync now" ignores backoff). Without
 * personId (service worker) the session's person is used. Order: insights → their attachments → edits → bug
 * reports → telemetry.
 */
export function drain(
  deps: SyncDeps,
  options: { personId?: string; force?: boolean } = {},
): Promise<DrainResult> {
  return exclusive(deps.locks, () => new Drain(deps, options.force ?? false).run(options.personId));
}

class Drain {
  readonly #deps: SyncDeps;
  readonly #db: CaptureDb;
  readonly #force: boolean;
  readonly #now: () => number;
  #personId = '';
  #csrf = '';
  #csrfRefreshed = false;
  #answeredAt: number | null = null;
  #outcomes: TelemetryInput[] = [];

  constructor(deps: SyncDeps, force: boolean) {
    this.#deps = deps;
    this.#db = deps.db;
    this.#force = force;
    this.#now = deps.now ?? Date.now;
  }

  async run(expectedPerson: string | undefined): Promise<DrainResult> {
    let failure: string | null = null;
    // Nothing of this person's on the device and no telemetry to send: no request at all (visibility and
    // timer triggers are frequent; the session check costs a round trip).
    if (expectedPerson !== undefined && (await this.#nothingToSend(expectedPerson))) {
      return { state: 'idle', otherPerson: false, nextAttemptAt: null, answeredAt: null, lastError: null };
    }
    try {
      await this.#signIn(expectedPerson);
      const depth = await this.#db.outbox.where('ownerId').equals(this.#personId).count();
      if (depth > 0) this.#outcomes.push({ kind: 'queue_depth', value: depth });
      while (await this.#sendInsightBatch()) {}
      await this.#sendAttachments();
      await this.#sendEdits();
      await this.#sendBugs();
      await storeTelemetry(this.#db, this.#outcomes.splice(0));
      await flushTelemetry(
        this.#db,
        (path, init) => this.#call(path, init, false),
        this.#now,
        this.#deps.appVersion,
      );
    } catch (error) {
      await storeTelemetry(this.#db, this.#outcomes.splice(0));
      if (error instanceof SessionEnded) return this.#result('signed_out', null, error.otherPerson);
      if (!(error instanceof TransportFailure)) throw error;
      failure = error.detail;
    }
    if (failure === null) return this.#result('idle', null, false);
    return this.#result(this.#deps.isOnline?.() === false ? 'offline' : 'waiting', failure, false);
  }

  async #result(
    state: DrainResult['state'],
    lastError: string | null,
    otherPerson: boolean,
  ): Promise<DrainResult> {
    const now = this.#now();
    const waiting = this.#personId === '' ? [] : await this.#mine('pending');
    const later = waiting.map((item) => item.nextAttemptAt).filter((at) => at > now);
    const nextAttemptAt = later.length === 0 ? null : Math.min(...later);
    // Items backing off (an attachment whose insight the server doesn't show yet) keep the loop 'waiting'.
    const final = state === 'idle' && nextAttemptAt !== null ? 'waiting' : state;
    return { state: final, otherPerson, nextAttemptAt, answeredAt: this.#answeredAt, lastError };
  }

  async #nothingToSend(personId: string): Promise<boolean> {
    const [mine, telemetry] = await Promise.all([
      this.#db.outbox.where('ownerId').equals(personId).count(),
      this.#db.telemetry.count(),
    ]);
    return mine === 0 && telemetry === 0;
  }

  async #signIn(expectedPerson: string | undefined): Promise<void> {
    const me = await fetchMe(this.#deps.fetch);
    if (me.kind === 'unauthorized') throw new SessionEnded(false);
    if (me.kind === 'transport') throw new TransportFailure(me.detail);
    if (me.kind === 'refused')
      throw new TransportFailure(`The server refused to say who is signed in (${me.status})`);
    // Items are sent under the session's identity: never send one person's items with another's cookie.
    if (expectedPerson !== undefined && me.personId !== expectedPerson) throw new SessionEnded(true);
    this.#personId = me.personId;
    this.#csrf = me.csrfToken;
  }

  /** A state-changing request with the CSRF token; a 403 refreshes the token from /me once and retries. */
  async #call(path: string, init: RequestInit, expectBody: boolean): Promise<Answer> {
    const attempt = () =>
      send(
        this.#deps.fetch,
        path,
        { ...init, headers: { ...init.headers, 'X-CSRF-Token': this.#csrf } },
        expectBody,
      );
    let outcome = await attempt();
    if (outcome.kind === 'refused' && outcome.status === 403 && !this.#csrfRefreshed) {
      this.#csrfRefreshed = true;
      await this.#signIn(this.#personId);
      outcome = await attempt();
    }
    if (outcome.kind === 'unauthorized') throw new SessionEnded(false);
    if (outcome.kind !== 'transport') this.#answeredAt = this.#now();
    return outcome;
  }

  async #mine(state: OutboxItem['state']): Promise<OutboxItem[]> {
    const rows = await this.#db.outbox.where('ownerId').equals(this.#personId).toArray();
    return rows.filter((item) => item.state === state).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  }

  async #due<K extends OutboxItem['kind']>(kind: K): Promise<Extract<OutboxItem, { kind: K }>[]> {
    const now = this.#now();
    return (await this.#mine('pending')).filter(
      (item): item is Extract<OutboxItem, { kind: K }> =>
        item.kind === kind && (this.#force || item.nextAttemptAt <= now),
    );
  }

  /** Nothing deleted; each item waits a jittered, growing while before the next automatic try. */
  async #backOff(items: OutboxItem[]): Promise<void> {
    const random = this.#deps.random ?? Math.random;
    const now = this.#now();
    await this.#db.transaction('rw', this.#db.outbox, async () => {
      for (const item of items) {
        const fresh = await this.#db.outbox.get(item.id);
        if (fresh === undefined) continue;
        await this.#db.outbox.update(item.id, {
          attempts: fresh.attempts + 1,
          nextAttemptAt: now + backoffDelay(fresh.attempts, random),
        });
      }
    });
    for (const item of items) this.#outcomes.push(outcome('failed', item.kind));
  }

  async #needsPerson(item: OutboxItem, problem: OutboxProblem) {
    await this.#db.outbox.update(item.id, { state: 'attention', problem });
  }

  async #done(items: OutboxItem[]): Promise<void> {
    await this.#db.transaction('rw', this.#db.outbox, this.#db.blobs, () => deleteItemsInTx(this.#db, items));
  }

  /** Sends the oldest due insights (see takeBatch); false when there were none. */
  async #sendInsightBatch(): Promise<boolean> {
    const due = await this.#due('insight');
    if (due.length === 0) return false;
    const batch = takeBatch(due);
    const items: InsightCreate[] = batch.map((item) => item.body);
    const answer = await this.#call('/api/v1/insights/batch', jsonRequest('POST', { items }), true);
    if (answer.kind === 'transport') return this.#fail(batch, answer.detail);
    if (answer.kind === 'refused') {
      const problem = problemFrom(answer.status, answer.body, 'The server did not accept these insights.');
      for (const item of batch) {
        await this.#needsPerson(item, problem);
        this.#outcomes.push(outcome('rejected', 'insight'));
      }
      return true;
    }
    const results = (answer.body as { results?: InsightBatchItemResult[] } | undefined)?.results;
    if (!Array.isArray(results) || results.length !== batch.length) {
      return this.#fail(batch, 'The server sent an answer this app cannot read');
    }
    const saved: { item: InsightItem; insight: Insight | undefined }[] = [];
    for (const [index, item] of batch.entries()) {
      const result = results[index];
      if (result?.status === 'created' || result?.status === 'duplicate') {
        saved.push({ item, insight: result.insight });
        this.#outcomes.push(outcome(result.status, 'insight'));
      } else {
        const status = result?.status === 'conflict' ? 409 : 422;
        const problem = problemFrom(status, result?.problem, 'The server did not accept this insight.');
        await this.#needsPerson(item, problem);
        this.#outcomes.push(outcome(result?.status === 'conflict' ? 'conflict' : 'rejected', 'insight'));
      }
    }
    // Only the insight rows go: their attachments stay queued and are sent next (the insight now exists).
    await this.#db.transaction('rw', this.#db.outbox, async () => {
      for (const { item, insight } of saved) await this.#settleInsight(item, insight);
    });
    return true;
  }

  /**
   * The server has this capture. Its row goes, unless the person changed it while the batch was on its way:
   * then the server has the old wording and the row becomes an edit of the stored insight with the new one.
   */
  async #settleInsight(sent: InsightItem, stored: Insight | undefined): Promise<void> {
    const fresh = await this.#db.outbox.get(sent.id);
    if (fresh?.kind !== 'insight') return;
    if (stored === undefined || sameJson(fresh.body, sent.body)) {
      await this.#db.outbox.delete(sent.id);
      return;
    }
    const { body, ...row } = fresh;
    const edit: EditItem = {
      ...row,
      id: crypto.randomUUID(),
      kind: 'edit',
      insightId: sent.id,
      base: stored,
      changes: editableFields(body),
      current: null,
      state: 'pending',
      problem: null,
      attempts: 0,
      nextAttemptAt: 0,
    };
    await this.#db.outbox.add(edit);
    await this.#db.outbox.delete(sent.id);
  }

  /** An edit the server took. If the person changed it again meanwhile, the rest goes over the new version. */
  async #settleEdit(sent: EditItem, stored: Insight): Promise<void> {
    await this.#db.transaction('rw', this.#db.outbox, async () => {
      const fresh = await this.#db.outbox.get(sent.id);
      if (fresh?.kind !== 'edit') return;
      if (sameJson(fresh.changes, sent.changes)) await this.#db.outbox.delete(sent.id);
      else await patchItem<EditItem>(this.#db, sent.id, { base: stored, attempts: 0, nextAttemptAt: 0 });
    });
  }

  async #fail(items: OutboxItem[], detail: string): Promise<never> {
    await this.#backOff(items);
    throw new TransportFailure(detail);
  }

  /** Photos and recordings whose insight has left the outbox (so it is on the server, or should be). */
  async #sendAttachments(): Promise<void> {
    for (const item of await this.#due('attachment')) {
      if ((await this.#db.outbox.get(item.insightId)) !== undefined) continue;
      const stored = await this.#db.blobs.get(item.blobId);
      if (stored === undefined) {
        await this.#needsPerson(item, {
          status: 0,
          detail: 'The file is no longer on this device.',
          fields: [],
        });
        continue;
      }
      const path = `/api/v1/insights/${item.insightId}/attachments/${item.id}?kind=${item.attachmentKind}`;
      const answer = await this.#call(
        path,
        {
          method: 'PUT',
          headers: { 'Content-Type': item.contentType, Accept: 'application/json' },
          body: stored.blob,
        },
        false,
      );
      if (answer.kind === 'transport') await this.#fail([item], answer.detail);
      else if (answer.kind === 'ok') {
        await this.#done([item]);
        this.#outcomes.push(outcome(answer.status === 201 ? 'created' : 'duplicate', 'attachment'));
      } else if (answer.status === 404) {
        // The server doesn't show the insight (yet): keep the bytes and try again later, never drop them.
        await this.#backOff([item]);
      } else {
        await this.#needsPerson(
          item,
          problemFrom(answer.status, answer.body, 'The server did not accept this file.'),
        );
        this.#outcomes.push(outcome('rejected', 'attachment'));
      }
    }
  }

  async #sendEdits(): Promise<void> {
    for (const item of await this.#due('edit')) {
      if ((await this.#db.outbox.get(item.insightId)) !== undefined) continue;
      const body = { version: item.base.version, ...item.changes };
      const answer = await this.#call(`/api/v1/insights/${item.insightId}`, jsonRequest('PATCH', body), true);
      if (answer.kind === 'transport') await this.#fail([item], answer.detail);
      else if (answer.kind === 'ok') {
        await this.#settleEdit(item, answer.body as Insight);
        this.#outcomes.push(outcome('created', 'edit'));
      } else if (answer.status === 409 && isConflictWithCurrent(answer.body)) {
        const problem = problemFrom(409, answer.body, 'Someone saved a newer version of this insight.');
        await patchItem<EditItem>(this.#db, item.id, {
          state: 'conflict',
          problem,
          current: answer.body.current,
        });
        this.#outcomes.push(outcome('conflict', 'edit'));
      } else {
        await this.#needsPerson(
          item,
          problemFrom(answer.status, answer.body, 'The server did not accept this edit.'),
        );
        this.#outcomes.push(outcome('rejected', 'edit'));
      }
    }
  }

  async #sendBugs(): Promise<void> {
    for (const item of await this.#due('bug')) {
      const body = await this.#bugBody(item);
      const answer = await this.#call('/api/v1/bug-reports', jsonRequest('POST', body), true);
      if (answer.kind === 'transport') await this.#fail([item], answer.detail);
      else if (answer.kind === 'ok') {
        await this.#done([item]);
        this.#outcomes.push(outcome(answer.status === 201 ? 'created' : 'duplicate', 'bug'));
      } else {
        await this.#needsPerson(
          item,
          problemFrom(answer.status, answer.body, 'The server did not accept this report.'),
        );
        this.#outcomes.push(outcome('rejected', 'bug'));
      }
    }
  }

  async #bugBody(item: BugItem) {
    if (item.screenshotBlobId === null) return item.report;
    const stored = await this.#db.blobs.get(item.screenshotBlobId);
    if (stored === undefined) return item.report;
    return {
      ...item.report,
      screenshot: {
        contentType: item.screenshotType ?? stored.type,
        base64: await blobToBase64(stored.blob),
      },
    };
  }
}
