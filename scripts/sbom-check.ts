/**
 * Checks the runtime SBOM that `npm run sbom` writes (CycloneDX JSON, spec 1.6, devDependencies omitted).
 *   npm run sbom && npm run sbom:check        (.ci/run does both; docs/operations/supply-chain.md)
 * Exits 1 and names every problem when the document is not what we ship: wrong format or spec version, too few
 * components, a component without purl or version, our own package missing as metadata.component, a runtime
 * dependency missing, or a development tool present (the SBOM must describe the runtime tree only).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SPEC_VERSION = '1.6';
export const MIN_COMPONENTS = 100;
/** Development-only tools that must never appear in the runtime SBOM (they are not transitive runtime deps). */
export const DEV_ONLY = [
  'vitest',
  'typescript',
  '@biomejs/biome',
  'vite',
  'lockfile-lint',
  '@cyclonedx/cyclonedx-npm',
];

interface Component {
  name?: string;
  group?: string;
  version?: string;
  purl?: string;
  components?: Component[];
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

const fullName = (c: Component): string => (c.group ? `${c.group}/${c.name}` : String(c.name));

function flatten(list: unknown): Component[] {
  if (!Array.isArray(list)) return [];
  return (list as Component[]).flatMap((c) => [c, ...flatten(c.components)]);
}

/** The problems found in a parsed SBOM (empty when it passes). */
export function checkSbom(bom: unknown, manifest: Manifest): string[] {
  const problems: string[] = [];
  if (typeof bom !== 'object' || bom === null) return ['the SBOM is not a JSON object'];
  const doc = bom as Record<string, unknown>;
  if (doc.bomFormat !== 'CycloneDX')
    problems.push(`bomFormat is ${String(doc.bomFormat)}, expected CycloneDX`);
  if (doc.specVersion !== SPEC_VERSION) {
    problems.push(`specVersion is ${String(doc.specVersion)}, expected ${SPEC_VERSION}`);
  }
  const metadata = (doc.metadata ?? {}) as { component?: Component };
  const main = metadata.component;
  if (main?.name !== manifest.name || main.version !== manifest.version) {
    problems.push(`metadata.component is not ${manifest.name}@${manifest.version}`);
  }
  const components = flatten(doc.components);
  if (components.length <= MIN_COMPONENTS) {
    problems.push(`only ${components.length} components, expected more than ${MIN_COMPONENTS}`);
  }
  for (const c of components) {
    if (!c.version) problems.push(`component ${fullName(c)} has no version`);
    if (!c.purl?.startsWith('pkg:npm/')) problems.push(`component ${fullName(c)} has no npm purl`);
  }
  const names = new Set(components.map(fullName));
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    if (!names.has(dep)) problems.push(`runtime dependency ${dep} is missing`);
  }
  for (const dev of DEV_ONLY) {
    if (names.has(dev))
      problems.push(`development tool ${dev} is in the runtime SBOM (was --omit dev lost?)`);
  }
  return problems;
}

function main(argv: string[]): number {
  const root = resolve(import.meta.dirname, '..');
  const file = resolve(root, argv[0] ?? 'sbom/bom.json');
  const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as Manifest;
  let bom: unknown;
  try {
    bom = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`Cannot read the SBOM ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  const problems = checkSbom(bom, manifest);
  if (problems.length > 0) {
    process.stderr.write(`SBOM check failed for ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  const count = flatten((bom as { components?: unknown }).components).length;
  process.stdout.write(`SBOM ok: ${file} (CycloneDX ${SPEC_VERSION}, ${count} components)\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
