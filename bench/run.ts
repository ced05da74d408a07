import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BenchContext, formatLine, judge, type ScenarioResult } from './harness.ts';
import { SCENARIOS } from './scenarios/index.ts';

/**
 * `npm run bench` runs every scenario; `npm run bench -- <name> [<name>…]` only those; `--smoke` small data.
 * Prints one line per scenario and writes bench/results/latest.json. Exit code 0 even when a target is missed
 * (the report says so): benchmarks inform, CI tests decide.
 */
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const names = args.filter((arg) => !arg.startsWith('--'));
const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
if (unknown.length > 0) {
  console.error(`Unknown scenario: ${unknown.join(', ')}. Known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const selected = names.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => names.includes(s.name));
const context: BenchContext = {
  smoke,
  database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
  log: (line) => console.log(`  · ${line}`),
};

const results: ScenarioResult[] = [];
for (const scenario of selected) {
  console.log(`${scenario.name}: ${scenario.description}`);
  const measurement = await scenario.run(context);
  const result = judge(scenario.name, scenario.target, measurement, context);
  results.push(result);
  console.log(formatLine(result));
}

const dir = path.join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify({ results }, null, 2)}\n`);
const missed = results.filter((result) => !result.met).length;
console.log(
  `\n${results.length} scenario(s), ${results.length - missed} met, ${missed} missed → bench/results/latest.json`,
);
