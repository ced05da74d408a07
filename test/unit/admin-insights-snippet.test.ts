import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Snippet } from '../../src/web/admin/features/insights/Snippet.tsx';

const render = (segments: { text: string; match: boolean }[]) =>
  renderToStaticMarkup(createElement(Snippet, { segments }));

describe('search snippets', () => {
  it('wraps matched segments in <mark> and keeps the rest as text, in order', () => {
    expect(
      render([
        { text: '…the ', match: false },
        { text: 'resume', match: true },
        { text: ' ', match: false },
        { text: 'token', match: true },
        { text: ' docs are thin', match: false },
      ]),
    ).toBe(
      '<span class="snippet" data-testid="snippet">…the <mark>resume</mark> <mark>token</mark> docs are thin</span>',
    );
  });

  it('never turns text into markup: angle brackets and entities in a segment stay visible text', () => {
    const html = render([
      { text: '<script>alert(1)</script>', match: true },
      { text: ' &amp; <b>bold</b>', match: false },
    ]);
    expect(html).toBe(
      '<span class="snippet" data-testid="snippet"><mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark> &amp;amp; &lt;b&gt;bold&lt;/b&gt;</span>',
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
  });

  it('renders an empty snippet as an empty span', () => {
    expect(render([])).toBe('<span class="snippet" data-testid="snippet"></span>');
  });
});
