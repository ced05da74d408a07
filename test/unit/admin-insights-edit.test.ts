import { describe, expect, it } from 'vitest';
import { type Insight, InsightUpdate } from '../../src/contract/api/insights.ts';
import {
  conflictingFields,
  draftOf,
  splitTags,
  updateOf,
} from '../../src/web/admin/features/insights/editDraft.ts';

const base: Insight = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  text: 'Change streams need clearer resume-token docs',
  title: null,
  type: 'documentation',
  productAreas: ['atlas'],
  sentiment: 'negative',
  priority: 'high',
  tags: ['docs'],
  developer: null,
  followUp: false,
  followUpState: null,
  event: null,
  session: null,
  author: { id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', name: 'Ari Levy' },
  source: 'capture',
  taxonomyVersion: '2026.1',
  version: 3,
  mergedInto: null,
  mergedCount: 0,
  capturedAt: '2026-03-01T10:00:00.000Z',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
};

describe('the edit form', () => {
  it('sends nothing when nothing changed', () => {
    expect(updateOf(base, draftOf(base))).toBeNull();
    // Tag spacing and area order are not changes.
    expect(updateOf(base, { ...draftOf(base), tags: ' docs ,' })).toBeNull();
  });

  it('sends only the changed fields, from the version it started at, in a body the server accepts', () => {
    const draft = {
      ...draftOf(base),
      title: ' Resume tokens ',
      priority: 'critical',
      productAreas: ['atlas', 'drivers'],
      tags: 'docs, change-streams',
      company: 'Acme',
    };
    const body = updateOf(base, draft);
    expect(body).toEqual({
      version: 3,
      title: 'Resume tokens',
      priority: 'critical',
      productAreas: ['atlas', 'drivers'],
      tags: ['docs', 'change-streams'],
      developer: { company: 'Acme' },
    });
    expect(InsightUpdate.safeParse(body).success).toBe(true);
  });

  it('clears a title and developer info with null', () => {
    const titled = { ...base, title: 'Old', developer: { role: 'DBA' } };
    expect(updateOf(titled, { ...draftOf(titled), title: '  ', role: '' })).toEqual({
      version: 3,
      title: null,
      developer: null,
    });
  });

  it('after a conflict, lists the fields where theirs and mine differ', () => {
    const theirs = { ...base, version: 4, priority: 'low' as const, tags: ['docs', 'triaged'] };
    const mine = { ...draftOf(base), priority: 'critical', text: 'Mine' };
    expect(conflictingFields(theirs, mine)).toEqual(['text', 'priority', 'tags']);
    expect(updateOf(theirs, mine)).toMatchObject({ version: 4, priority: 'critical', text: 'Mine' });
  });

  it('splits tags: trimmed, no empties, no repeats', () => {
    expect(splitTags(' a, b ,, a,c ')).toEqual(['a', 'b', 'c']);
    expect(splitTags('')).toEqual([]);
  });
});
