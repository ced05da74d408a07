import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSbom, DEV_ONLY } from '../../scripts/sbom-check.ts';

/**
 * The supply-chain checks .ci/run runs (docs/operations/supply-chain.md), proven able to fail: lockfile-lint with
 * exactly the flags of `npm run supply-chain:lockfile` passes the real lockfile and fails a temp copy tampered
 * one way at a time (plain http, a foreign host, a weak integrity hash, a tarball of another package); the
 * runtime SBOM that `npm run sbom` writes passes scripts/sbom-check.ts, and broken SBOMs do not.
 */
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const lockText = readFileSync(join(root, 'package-lock.json'), 'utf8');
type Entry = { version?: string; resolved?: string; integrity?: string; link?: boolean };
const lock = JSON.parse(lockText) as { packages: Record<string, Entry> };
const work = mkdtempSync(join(tmpdir(), 'bi-supply-chain-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The lockfile-lint arguments of the npm script, with --path pointed at `path`. */
function lintArgs(path: string): string[] {
  const [bin, ...args] = manifest.scripts['supply-chain:lockfile']?.split(/\s+/) ?? [];
  expect(bin).toBe('lockfile-lint');
  const at = args.indexOf('--path');
  expect(at).toBeGreaterThanOrEqual(0);
  args[at + 1] = path;
  return args;
}

async function lockfileLint(path: string): Promise<{ code: number; output: string }> {
  const bin = join(root, 'node_modules/lockfile-lint/bin/lockfile-lint.js');
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...lintArgs(path), '--format', 'plain']);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** A copy of the real lockfile with one registry package's entry changed by `tamper`, linted. */
let copies = 0;
async function lintTampered(tamper: (entry: Entry, name: string) => void) {
  const copy = structuredClone(lock);
  const key = 'node_modules/fastify';
  const entry = copy.packages[key];
  if (!entry) throw new Error(`${key} is not in package-lock.json`);
  tamper(entry, 'fastify');
  const path = join(work, `package-lock-${++copies}.json`);
  writeFileSync(path, JSON.stringify(copy, null, 2));
  return lockfileLint(path);
}

describe('lockfile-lint (npm run supply-chain:lockfile)', () => {
  it('passes the committed package-lock.json', async () => {
    const result = await lockfileLint(join(root, 'package-lock.json'));
    expect(result.output).toMatch(/No issues detected/);
    expect(result.code).toBe(0);
  });

  it.concurrent('fails a copy whose resolved URL is plain http on a foreign host', async () => {
    const result = await lintTampered((e, name) => {
      e.resolved = `http://evil.example/${name}/-/${name}-${e.version}.tgz`;
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/invalid host/);
    expect(result.output).toMatch(/invalid protocol|https/i);
  });

  it.concurrent('fails a copy whose resolved URL is https on a host other than the npm registry', async () => {
    const result = await lintTampered((e, name) => {
      e.resolved = `https://evil.example/${name}/-/${name}-${e.version}.tgz`;
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/invalid host.*fastify|fastify[\s\S]*evil\.example/);
  });

  it.concurrent('fails a copy with a sha1 integrity hash', async () => {
    const result = await lintTampered((e) => {
      e.integrity = 'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=';
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/invalid integrity hash type/);
  });

  it.concurrent('fails a copy whose registry tarball is another package', async () => {
    const result = await lintTampered((e) => {
      e.resolved = `https://registry.npmjs.org/fastlfy/-/fastlfy-${e.version}.tgz`;
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/different name: fastify/);
  });

  it('no project .npmrc points npm at another registry (entries without resolved use the configured one)', () => {
    const npmrc = existsSync(join(root, '.npmrc')) ? readFileSync(join(root, '.npmrc'), 'utf8') : '';
    for (const line of npmrc.split('\n')) {
      if (/^\s*(@[\w.-]+:)?registry\s*=/.test(line))
        expect(line).toMatch(/=\s*https:\/\/registry\.npmjs\.org\/?\s*$/);
    }
  });

  it('every installed entry has a sha512 integrity and any resolved URL is the npm registry over https', () => {
    // lockfile-lint skips entries without `integrity` or `resolved`; this closes that gap for our lockfile.
    const entries = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && !entry.link);
    expect(entries.length).toBeGreaterThan(100);
    for (const [key, entry] of entries) {
      expect(entry.integrity, key).toMatch(/^sha512-[A-Za-z0-9+/]+={0,2}$/);
      if (entry.resolved !== undefined)
        expect(entry.resolved, key).toMatch(/^https:\/\/registry\.npmjs\.org\//);
    }
  });
});

describe('runtime SBOM (npm run sbom, scripts/sbom-check.ts)', () => {
  it('generates a CycloneDX 1.6 SBOM of the runtime tree that passes the check', async () => {
    const [bin, ...args] = manifest.scripts.sbom?.split(/\s+/) ?? [];
    expect(bin).toBe('cyclonedx-npm');
    expect(args).toEqual(expect.arrayContaining(['--omit', 'dev', '--spec-version', '1.6']));
    const out = join(work, 'bom.json');
    args[args.indexOf('--output-file') + 1] = out;
    const cli = join(root, 'node_modules/@cyclonedx/cyclonedx-npm/bin/cyclonedx-npm-cli.js');
    await run(process.execPath, [cli, ...args], { cwd: root });
    const bom = JSON.parse(readFileSync(out, 'utf8'));
    expect(checkSbom(bom, manifest)).toEqual([]);
  }, 20_000);

  const good = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    metadata: { component: { name: manifest.name, version: manifest.version } },
    components: [
      ...Object.keys(manifest.dependencies).map((dep) => ({
        name: dep,
        version: '1.0.0',
        purl: `pkg:npm/${dep}@1`,
      })),
      ...Array.from({ length: 100 }, (_, i) => ({
        name: `dep${i}`,
        version: '1.0.0',
        purl: `pkg:npm/dep${i}@1.0.0`,
      })),
    ],
  };

  it('passes a minimal well-formed SBOM and fails each broken variant, naming the problem', () => {
    expect(checkSbom(good, manifest)).toEqual([]);
    const broken: [string, unknown][] = [
      ['bomFormat', { ...good, bomFormat: 'SPDX' }],
      ['specVersion', { ...good, specVersion: '1.5' }],
      ['metadata.component', { ...good, metadata: { component: { name: 'other', version: '1' } } }],
      ['components', { ...good, components: good.components.slice(0, 50) }],
      ['no version', { ...good, components: [...good.components, { name: 'x', purl: 'pkg:npm/x@1' }] }],
      ['no npm purl', { ...good, components: [...good.components, { name: 'y', version: '1' }] }],
      [
        'runtime dependency fastify',
        { ...good, components: good.components.filter((c) => c.name !== 'fastify') },
      ],
      [
        'development tool',
        {
          ...good,
          components: [...good.components, { name: DEV_ONLY[0], version: '4', purl: 'pkg:npm/v@4' }],
        },
      ],
    ];
    for (const [problem, bom] of broken) {
      const problems = checkSbom(bom, manifest);
      expect(problems.join('\n'), problem).toContain(problem);
    }
  });
});
