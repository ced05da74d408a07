import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/contract/limits.ts';
import {
  activeMention,
  insertMention,
  mentionIds,
  mentionSegments,
} from '../../src/web/admin/features/insights/mentions.ts';
import { NoteBody } from '../../src/web/admin/features/insights/Snippet.tsx';

const maya = { id: '11111111-1111-4111-8111-111111111111', name: 'Maya Patel' };
const ann = { id: '22222222-2222-4222-8222-222222222222', name: 'Ann' };
const anna = { id: '33333333-3333-4333-8333-333333333333', name: 'Ann Lee' };

describe('@mentions while typing', () => {
  it('finds the "@query" right before the caret, at the start, after a space or a parenthesis', () => {
    expect(activeMention('@ma', 3)).toEqual({ start: 0, query: 'ma' });
    expect(activeMention('hi @ma', 6)).toEqual({ start: 3, query: 'ma' });
    expect(activeMention('see (@jo', 8)).toEqual({ start: 5, query: 'jo' });
    expect(activeMention('hi @', 4)).toEqual({ start: 3, query: '' });
    // The caret decides: text after it does not count.
    expect(activeMention('hi @maya and more', 7)).toEqual({ start: 3, query: 'may' });
  });

  it('does not treat e-mail addresses, finished words or text after a space as a mention', () => {
    expect(activeMention('mail ari@example.com', 20)).toBeNull();
    expect(activeMention('@maya patel', 11)).toBeNull();
    expect(activeMention('no mention here', 15)).toBeNull();
    expect(activeMention('', 0)).toBeNull();
  });

  it('replaces the query with "@Full Name " and puts the caret after it', () => {
    const text = 'thanks @ma, see above';
    const mention = activeMention(text, 10);
    expect(mention).toEqual({ start: 7, query: 'ma' });
    if (mention === null) return;
    const result = insertMention(text, mention, 10, maya);
    expect(result.text).toBe('thanks @Maya Patel , see above');
    expect(result.caret).toBe('thanks @Maya Patel '.length);
    const atEnd = insertMention('cc @ma', { start: 3, query: 'ma' }, 6, maya);
    expect(atEnd).toEqual({ text: 'cc @Maya Patel ', caret: 15 });
  });
});

describe('the mentions a note sends', () => {
  it('sends the ids of picked people still named in the body, once each, in picking order', () => {
    expect(mentionIds('@Maya Patel and @Ann please look', [maya, ann, maya])).toEqual([maya.id, ann.id]);
  });

  it('drops people whose "@Name" was deleted, and does not match a longer name', () => {
    expect(mentionIds('Maya Patel (no at sign)', [maya])).toEqual([]);
    expect(mentionIds('@Ann Lee knows', [ann])).toEqual([ann.id]);
    expect(mentionIds('@Annabel knows', [ann])).toEqual([]);
  });

  it('sends at most the limit', () => {
    const people = Array.from({ length: LIMITS.mentionsPerNote + 3 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `P${i}`,
    }));
    const body = people.map((p) => `@${p.name}`).join(' ');
    expect(mentionIds(body, people)).toHaveLength(LIMITS.mentionsPerNote);
  });
});

describe('rendering a note with mentions', () => {
  it('splits the body into text and mentions of the people the server named, longest name first', () => {
    expect(mentionSegments('hi @Ann Lee and @Ann, not @Bob', [ann, anna])).toEqual([
      { text: 'hi ' },
      { text: '@Ann Lee', person: anna },
      { text: ' and ' },
      { text: '@Ann', person: ann },
      { text: ', not @Bob' },
    ]);
    expect(mentionSegments('@Annabel', [ann])).toEqual([{ text: '@Annabel' }]);
    expect(mentionSegments('', [ann])).toEqual([]);
  });

  it('marks mentions with <mark> elements and renders everything else as text (no HTML from a note)', () => {
    const html = renderToStaticMarkup(
      createElement(NoteBody, { body: '<img src=x onerror=alert(1)> @Maya Patel ok', mentions: [maya] }),
    );
    expect(html).toBe(
      `<p class="note__body">&lt;img src=x onerror=alert(1)&gt; <mark class="mention" data-person-id="${maya.id}">@Maya Patel</mark> ok</p>`,
    );
  });
});
