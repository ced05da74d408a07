import { describe, expect, it } from 'vitest';
import { type Insight, InsightUpdate } from '../../src/contract/api/insights.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import {
  editChanges,
  editValues,
  mergedTextProblem,
  mergeText,
  summarizeConflict,
} from '../../src/web/capture/lib/edits.ts';

const insight: Insight = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  text: 'Index builds are slow',
  title: null,
  type: 'pain_point',
  productAreas: ['atlas_vector_search'],
  sentiment: 'negative',
  priority: 'medium',
  tags: ['vector'],
  developer: null,
  followUp: false,
  followUpState: null,
  mergedInto: null,
  mergedCount: 0,
  event: null,
  session: null,
  author: { id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', name: 'Ari Levy' },
  source: 'capture',
  taxonomyVersion: '2026.1',
  version: 1,
  capturedAt: '2026-03-01T10:00:00.000Z',
  createdAt: '2026-03-01T10:00:01.000Z',
  updatedAt: '2026-03-01T10:00:01.000Z',
};

describe('merge text', () => {
  it('takes the longer text when one contains the other', () => {
    expect(mergeText('Index builds are slow', 'Index builds are slow on M10')).toBe(
      'Index builds are slow on M10',
    );
    expect(mergeText('Index builds are slow on M10', 'builds are slow')).toBe('Index builds are slow on M10');
  });

  it('otherwise puts theirs, a blank line, then mine', () => {
    expect(mergeText('Theirs.', 'Mine.')).toBe('Theirs.\n\nMine.');
  });

  it('never repeats equal texts and ignores surrounding blanks or an empty side', () => {
    expect(mergeText(' same ', 'same')).toBe('same');
    expect(mergeText('theirs', '  ')).toBe('theirs');
    expect(mergeText('', 'mine')).toBe('mine');
  });

  it('refuses an empty or oversize merged text', () => {
    expect(mergedTextProblem('  ')).toMatch(/empty/);
    expect(mergedTextProblem('x'.repeat(LIMITS.insightText + 1))).toMatch(/longer/);
    expect(mergedTextProblem('fine')).toBeNull();
  });
});

describe('edit changes', () => {
  it('holds only the fields the person changed, in the shape the API accepts', () => {
    const shown = editValues(insight);
    const changes = editChanges(shown, {
      ...shown,
      text: ' Index builds are slow on M10 ',
      priority: 'high',
      tags: 'vector, m10',
    });
    expect(changes).toEqual({
      text: 'Index builds are slow on M10',
      priority: 'high',
      tags: ['vector', 'm10'],
    });
    expect(InsightUpdate.safeParse({ version: insight.version, ...changes }).success).toBe(true);
  });

  it('is empty when nothing changed (tags compared as parsed)', () => {
    const shown = editValues(insight);
    expect(editChanges(shown, { ...shown, tags: ' vector , ' })).toEqual({});
  });

  it('starts from the queued edit when one is waiting, so a second edit only adds what changed again', () => {
    const shown = editValues(insight, { text: 'Queued text', followUp: true });
    expect(shown.text).toBe('Queued text');
    expect(shown.followUp).toBe(true);
    expect(editChanges(shown, { ...shown, sentiment: 'neutral' })).toEqual({ sentiment: 'neutral' });
  });
});

describe('conflict summary', () => {
  const current: Insight = {
    ...insight,
    text: 'Index builds are slow (manager note: M10 tier)',
    priority: 'critical',
    tags: ['vector', 'escalated'],
    version: 2,
    updatedAt: '2026-03-02T09:00:00.000Z',
  };

  it('shows my changed fields against theirs where the outcome differs, and what only they changed', () => {
    const summary = summarizeConflict(
      insight,
      { text: 'Index builds are slow on M10', priority: 'high' },
      current,
    );
    expect(summary.mineText).toBe('Index builds are slow on M10');
    expect(summary.theirsText).toBe(current.text);
    expect(summary.textDiffers).toBe(true);
    expect(summary.rows).toEqual([
      { field: 'priority', label: 'Priority', mine: 'High', theirs: 'Critical' },
    ]);
    expect(summary.theirOtherChanges).toEqual(['Tags']);
  });

  it('keeps their text as mine when I did not edit the text, and says they changed it', () => {
    const summary = summarizeConflict(insight, { sentiment: 'positive' }, current);
    expect(summary.mineText).toBe(current.text);
    expect(summary.textDiffers).toBe(false);
    expect(summary.rows).toEqual([
      { field: 'sentiment', label: 'Sentiment', mine: 'Positive', theirs: 'Negative' },
    ]);
    expect(summary.theirOtherChanges).toEqual(['Text', 'Priority', 'Tags']);
  });

  it('leaves out fields where both sides already agree', () => {
    const summary = summarizeConflict(insight, { priority: 'critical' }, current);
    expect(summary.rows).toEqual([]);
  });
});
