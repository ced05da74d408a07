import type { ExecutiveReport, ReportQuery } from '../../../contract/api/reporting.ts';
import { TAXONOMY_VERSION } from '../../../contract/taxonomy.ts';
import type { RequestContext } from '../identity/actor.ts';
import { themesFor } from '../themes/themes.service.ts';
import { dashboardData, prepareReport, type ReportingDeps, readSnapshot } from './dashboard.service.ts';
import { narrative } from './executive.narrative.ts';

/** Themes an executive report lists (the strongest first). */
export const EXECUTIVE_THEMES = 5;

/** The filter the report was built with, as strings (tags as "a,b"), in the query's order. */
export function filtersOf(query: ReportQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    out[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

/**
 * The scope as a title part: "team amer", "whole organization", "reporting tree of Erik Lindqvist". A report
 * travels (PDF, CSV), so the reader is named instead of "you".
 */
export function scopeTitle(scopeLabel: string, readerName: string): string {
  if (scopeLabel === 'Whole organization') return 'whole organization';
  if (scopeLabel === 'Your own insights') return `insights of ${readerName}`;
  return scopeLabel.replace(/^Your own insights, /, '').replace(/\byou\b/g, readerName);
}

/**
 * The executive report: the dashboard's numbers for the same query (the same functions, one snapshot), the top
 * emerging themes with their citations, and a deterministic narrative built from those numbers. The exports
 * (PDF, CSV) and the optional LLM summary render this object; they never compute numbers of their own.
 */
export async function executiveReport(
  deps: ReportingDeps,
  ctx: RequestContext,
  query: ReportQuery,
): Promise<ExecutiveReport> {
  const { actor, now, resolved } = prepareReport(deps, ctx, query);
  const { data, themes } = await readSnapshot(deps.db, async (tx) => ({
    data: await dashboardData(tx, actor, resolved),
    themes: await themesFor(tx, actor, resolved.filter, resolved.period, now),
  }));
  const top = themes.themes.slice(0, EXECUTIVE_THEMES);
  const scope = scopeTitle(data.scopeLabel, actor.name);
  const report = {
    period: data.period,
    cards: data.cards,
    distributions: data.distributions,
    themes: top,
    critical: data.critical,
    topEvents: data.topEvents,
  };
  return {
    title: `Builder Insights executive report — ${data.period.label} — ${scope}`,
    scopeLabel: data.scopeLabel,
    ...report,
    filters: filtersOf(query),
    narrative: narrative({ ...report, scope }),
    summaryAvailable: deps.summaryAvailable === true,
    taxonomyVersion: TAXONOMY_VERSION,
    generatedAt: now.toISOString(),
  };
}
