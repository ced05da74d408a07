import type { OutboxItem, OutboxView, SyncStatus } from '../offline/types.ts';

/** The sync loop's state in plain words, for the top bar and Profile. Pure: the unit tests import it. */

export interface OutboxCounts {
  /** My items still to send. */
  waiting: number;
  /** All of those are insights (then we say "insights"; otherwise "items"). */
  allInsights: boolean;
  /** Refused by the server, or edits that met a newer version: they need the person. */
  needAttention: number;
}

export function outboxCounts(view: Pick<OutboxView, 'pending' | 'attention' | 'conflicts'>): OutboxCounts {
  return {
    waiting: view.pending.length,
    allInsights: view.pending.every((item: OutboxItem) => item.kind === 'insight'),
    needAttention: view.attention.length + view.conflicts.length,
  };
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "40 s", "3 min", "1 h": how long until the next automatic attempt. */
export function waitWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

export type SyncTone = 'ok' | 'busy' | 'waiting' | 'problem';

export interface SyncWords {
  text: string;
  tone: SyncTone;
}

export function syncWords(status: SyncStatus, counts: OutboxCounts, now: number, online: boolean): SyncWords {
  const noun = counts.allInsights ? 'insight' : 'item';
  const attention =
    counts.needAttention > 0
      ? ` · ${counts.needAttention} ${counts.needAttention === 1 ? 'needs' : 'need'} your attention`
      : '';
  if (status.state === 'signed_out') {
    const total = counts.waiting + counts.needAttention;
    const safe = `${plural(total, counts.needAttention > 0 ? 'item' : noun)} ${total === 1 ? 'is' : 'are'} safe on this device`;
    return {
      text: total > 0 ? `Sign in again to sync — ${safe}` : 'Sign in again to sync',
      tone: 'problem',
    };
  }
  if (counts.waiting === 0) {
    return counts.needAttention > 0
      ? { text: `Nothing left to send${attention}`, tone: 'problem' }
      : { text: 'All synced', tone: 'ok' };
  }
  const waiting = `${counts.waiting} waiting`;
  if (!online || status.state === 'offline') {
    const they = counts.waiting === 1 ? "it'll" : "they'll";
    return {
      text: `${waiting} — you're offline; ${they} sync when you're back${attention}`,
      tone: 'waiting',
    };
  }
  if (status.state === 'syncing')
    return { text: `Syncing ${plural(counts.waiting, noun)}…${attention}`, tone: 'busy' };
  if (status.state === 'waiting' && status.nextAttemptAt !== null && status.nextAttemptAt > now) {
    return {
      text: `${waiting} — retrying in ${waitWords(status.nextAttemptAt - now)}${attention}`,
      tone: 'waiting',
    };
  }
  return { text: `${plural(counts.waiting, noun)} waiting to sync${attention}`, tone: 'busy' };
}
