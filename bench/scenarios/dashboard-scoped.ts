import type { Me } from '../../src/contract/api/me.ts';
import type { Dashboard } from '../../src/contract/api/reporting.ts';
import { type Session, startStack } from '../../test/helpers/stack.ts';
import { generateVolume, sizesFor } from '../data/generate.ts';
import { percentile, type Scenario } from '../harness.ts';

/** The absolute budget for the scoped dashboard on 1 M insights (reported in details). */
export const DASHBOARD_P95_BUDGET_MS = 150;
const PATH = '/api/v1/dashboard?period=last90';

async function timed(session: Session): Promise<{ ms: number; body: Dashboard }> {
  const start = performance.now();
  const response = await session.get(PATH);
  const text = await response.text();
  const ms = performance.now() - start;
  if (response.status !== 200) throw new Error(`GET ${PATH} → ${response.status}: ${text.slice(0, 300)}`);
  return { ms, body: JSON.parse(text) as Dashboard };
}

const insightsCard = (d: Dashboard) => d.cards.find((card) => card.key === 'insights')?.value ?? 0;

/**
 * GET /api/v1/dashboard (last 90 days) over HTTP through the real app, signed in as Maya Patel, manager of a
 * 300-person reporting tree (plus her team) in a 2,000-person org: every aggregate carries the recursive
 * tree scope. Baseline, in the same run and database: the same request by an admin (Priya Raman, scope all) —
 * the same aggregates without a scope condition, over all insights of the period (about 6–7× the rows).
 * Requests alternate between the two so machine noise hits both alike. Ratio = p95 ours / p95 baseline.
 */
export const dashboardScoped: Scenario = {
  name: 'dashboard-scoped',
  description: 'manager-scoped dashboard (last 90 days, 300-person tree) vs the same aggregate unscoped, p95',
  target: { kind: 'ratio_max', value: 1.5, note: `and p95 ≤ ${DASHBOARD_P95_BUDGET_MS} ms on PostgreSQL` },
  async run(context) {
    const sizes = sizesFor(context);
    // p95 of 40: with 12 the "p95" was the single slowest request.
    const samples = context.smoke ? 6 : 40;
    const stack = await startStack();
    try {
      const volume = await generateVolume(stack.db.database, sizes, context.log);
      const maya = await stack.signIn('Maya');
      const me = await maya.json<Me>('/api/v1/me');
      if (
        me.role !== 'manager' ||
        me.scope.kind !== 'limited' ||
        !me.scope.trees.includes(volume.people.bigManagerId)
      )
        throw new Error(`Maya is not the manager of the generated tree: ${JSON.stringify(me.scope)}`);
      const admin = await stack.signIn('Priya', { auth: 'mfa' });
      const warm = [await timed(maya), await timed(admin), await timed(maya), await timed(admin)];
      const ours: number[] = [];
      const baseline: number[] = [];
      for (let i = 0; i < samples; i += 1) {
        // Alternate which goes first, so neither always runs right after the other's cache warm-up.
        if (i % 2 === 0) {
          ours.push((await timed(maya)).ms);
          baseline.push((await timed(admin)).ms);
        } else {
          baseline.push((await timed(admin)).ms);
          ours.push((await timed(maya)).ms);
        }
      }
      const scoped = insightsCard((warm[0] as { body: Dashboard }).body);
      const all = insightsCard((warm[1] as { body: Dashboard }).body);
      const p95 = percentile(ours, 95);
      const base95 = percentile(baseline, 95);
      context.log(
        `${samples} requests each: manager p50 ${percentile(ours, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms ` +
          `(${scoped} insights in scope); admin p50 ${percentile(baseline, 50).toFixed(1)} ms, ` +
          `p95 ${base95.toFixed(1)} ms (${all} insights)`,
      );
      const budget = p95 <= DASHBOARD_P95_BUDGET_MS ? 'within' : 'OVER';
      return {
        ours: p95,
        baseline: base95,
        unit: 'ms',
        details:
          `p95 of ${samples} GET ${PATH} as the manager of a ${volume.people.bigTreeIds.length}-person tree ` +
          `(${scoped} insights in scope) vs as an admin, unscoped (${all}); ${sizes.insights} insights, ` +
          `${sizes.people} people on ${context.database}; absolute p95 ${p95.toFixed(0)} ms is ${budget} the ` +
          `${DASHBOARD_P95_BUDGET_MS} ms budget` +
          (context.database === 'pglite' && !context.smoke ? ' (PGlite scaled to 100k insights)' : ''),
      };
    } finally {
      await stack.close();
    }
  },
};
