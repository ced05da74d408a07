import { describe, expect, it } from 'vitest';
import { InsightCreate } from '../../src/contract/api/insights.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { INSIGHT_DEFAULTS } from '../../src/contract/taxonomy.ts';
import {
  EMPTY_FORM,
  type FormFields,
  fieldLabel,
  formFromFields,
  hasInput,
  localProblems,
  nextForm,
  parseTags,
  sanitizeForm,
  toInsightFields,
} from '../../src/web/capture/lib/form.ts';
import { hrefOf, parseHash } from '../../src/web/capture/lib/routes.ts';

const EVENT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const SESSION = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const filled: FormFields = {
  ...EMPTY_FORM,
  text: '  Vector search index builds took a week  ',
  title: ' Index build time ',
  tags: 'vector, onboarding ,, Vector, ',
  developerRole: ' Backend lead ',
  developerCompany: '',
  developerExperience: ' 3 years ',
  followUp: true,
  type: 'pain_point',
  sentiment: 'negative',
  priority: 'high',
  productAreas: ['atlas_vector_search', 'atlas'],
};

describe('capture form → InsightCreate', () => {
  it('maps every field the API takes, trimmed, and the server schema accepts the body', () => {
    const fields = toInsightFields(filled, { eventId: EVENT, sessionId: SESSION });
    expect(fields).toEqual({
      text: 'Vector search index builds took a week',
      title: 'Index build time',
      type: 'pain_point',
      productAreas: ['atlas_vector_search', 'atlas'],
      sentiment: 'negative',
      priority: 'high',
      tags: ['vector', 'onboarding'],
      followUp: true,
      developer: { role: 'Backend lead', experience: '3 years' },
      eventId: EVENT,
      sessionId: SESSION,
    });
    const body = {
      id: crypto.randomUUID(),
      ...fields,
      capturedAt: new Date().toISOString(),
      source: 'voice',
    };
    expect(InsightCreate.safeParse(body).success).toBe(true);
  });

  it('leaves out empty optional fields and drops the session without an event', () => {
    const fields = toInsightFields({ ...EMPTY_FORM, text: 'x' }, { eventId: null, sessionId: SESSION });
    expect(fields).not.toHaveProperty('title');
    expect(fields).not.toHaveProperty('developer');
    expect(fields.sessionId).toBeNull();
    expect(fields.type).toBe(INSIGHT_DEFAULTS.type);
    const body = { id: crypto.randomUUID(), ...fields, capturedAt: new Date().toISOString() };
    expect(InsightCreate.safeParse(body).success).toBe(true);
  });

  it('parses tags: trimmed, empty dropped, first spelling of a duplicate kept', () => {
    expect(parseTags(' a, b ,, A ,c,')).toEqual(['a', 'b', 'c']);
    expect(parseTags('')).toEqual([]);
  });

  it('says what the server would refuse before any round trip', () => {
    expect(localProblems({ text: '   ', tags: [] })).toEqual(['Type what the developer said first.']);
    const many = Array.from({ length: LIMITS.tagsPerInsight + 1 }, (_, index) => `t${index}`);
    expect(localProblems({ text: 'ok', tags: many })[0]).toContain(`at most ${LIMITS.tagsPerInsight}`);
    expect(localProblems({ text: 'ok', tags: ['x'.repeat(LIMITS.tag + 1)] })[0]).toContain('characters');
    expect(localProblems({ text: 'ok', tags: ['fine'] })).toEqual([]);
  });

  it('restores a stored form defensively: wrong types, unknown ids and oversize text never get through', () => {
    const restored = sanitizeForm({
      text: 'x'.repeat(LIMITS.insightText + 10),
      title: 42,
      type: 'no_such_type',
      sentiment: 'positive',
      priority: null,
      productAreas: ['atlas', 'nope', 'atlas_search'],
      followUp: 'yes',
      extra: 'ignored',
    });
    expect(restored.text).toHaveLength(LIMITS.insightText);
    expect(restored.title).toBe('');
    expect(restored.type).toBe(INSIGHT_DEFAULTS.type);
    expect(restored.sentiment).toBe('positive');
    expect(restored.priority).toBe(INSIGHT_DEFAULTS.priority);
    expect(restored.productAreas).toEqual(['atlas', 'atlas_search']);
    expect(restored.followUp).toBe(false);
    expect(restored).not.toHaveProperty('extra');
    expect(sanitizeForm(null)).toEqual(EMPTY_FORM);
    expect(sanitizeForm('garbage')).toEqual(EMPTY_FORM);
  });

  it('after a save keeps type and areas for the next developer and clears the rest', () => {
    const next = nextForm(filled);
    expect(next).toEqual({
      ...EMPTY_FORM,
      type: 'pain_point',
      productAreas: ['atlas_vector_search', 'atlas'],
    });
    expect(hasInput(next)).toBe(false);
    expect(hasInput(filled)).toBe(true);
    expect(hasInput({ ...EMPTY_FORM, developerCompany: 'Acme' })).toBe(true);
  });

  it('turns a voice draft’s stored fields back into the form it was saved from', () => {
    const fields = toInsightFields(filled, { eventId: EVENT, sessionId: null });
    const form = formFromFields(fields);
    expect(toInsightFields(form, { eventId: EVENT, sessionId: null })).toEqual(fields);
    expect(formFromFields({})).toEqual(EMPTY_FORM);
  });

  it('names fields from problem+json paths the way the form labels them', () => {
    expect(fieldLabel('body.text')).toBe('What did the developer say?');
    expect(fieldLabel('items.3.tags.0')).toBe('Tags');
    expect(fieldLabel('body.developer.company')).toBe('Company');
    expect(fieldLabel('screenshot.base64')).toBe('Screenshot');
    expect(fieldLabel('body')).toBe('Request');
    expect(fieldLabel('somethingNew')).toBe('somethingNew');
  });
});

describe('hash routes', () => {
  it('parses tabs and sub-pages, and falls back to Home for anything unknown', () => {
    expect(parseHash('')).toEqual({ tab: 'home', rest: [] });
    expect(parseHash('#/capture')).toEqual({ tab: 'capture', rest: [] });
    expect(parseHash('#/capture/draft/abc')).toEqual({ tab: 'capture', rest: ['draft', 'abc'] });
    expect(parseHash('#/nope/x')).toEqual({ tab: 'home', rest: [] });
    expect(parseHash('#/impact/%E0%A4%A')).toEqual({ tab: 'impact', rest: [] });
    expect(parseHash(`#/impact/${'x'.repeat(101)}`)).toEqual({ tab: 'impact', rest: [] });
    expect(parseHash('#/profile/a/b/c/d/e/f').rest).toHaveLength(4);
  });

  it('builds hrefs that parse back to the same route', () => {
    const href = hrefOf('impact', 'a b/c', 'edit');
    expect(href).toBe('#/impact/a%20b%2Fc/edit');
    expect(parseHash(href)).toEqual({ tab: 'impact', rest: ['a b/c', 'edit'] });
  });
});
