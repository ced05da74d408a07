import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The container image's essentials, checked by reading the Dockerfile (there is no Docker engine here to
 * build it): multi-stage, pinned Node 24 slim base, production-only dependencies, non-root numeric user,
 * no secrets, one entry point for every process role, and a .dockerignore that keeps the context clean.
 */
const dockerfile = readFileSync('Dockerfile', 'utf8');
/** Instructions with continuation lines joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
const all = (keyword: string) => instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const stages = all('FROM');
const runtime = instructions.slice(instructions.findLastIndex((i) => i.keyword === 'FROM'));
const inRuntime = (keyword: string) => runtime.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('is multi-stage on a Node 24 slim base pinned by tag, never latest', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of stages) {
      expect(from).toMatch(/^node:24(\.\d+){0,2}-slim(@sha256:[0-9a-f]{64})?( AS \w+)?$/i);
      expect(from).not.toMatch(/latest/i);
    }
  });

  it('builds the web apps in the build stage and installs only production dependencies to run', () => {
    const firstRuntime = instructions.findLastIndex((i) => i.keyword === 'FROM');
    const buildRuns = instructions.slice(0, firstRuntime).filter((i) => i.keyword === 'RUN');
    expect(buildRuns.some((r) => /npm ci\b/.test(r.args))).toBe(true);
    expect(buildRuns.some((r) => /npm run build\b/.test(r.args))).toBe(true);
    expect(inRuntime('RUN').some((r) => /npm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(inRuntime('COPY').some((c) => /--from=\w+ .*dist\/web/.test(c))).toBe(true);
    expect(inRuntime('COPY').some((c) => c.startsWith('src/server '))).toBe(true);
  });

  it('runs as a numeric non-root user with production settings and one entry point', () => {
    const user = inRuntime('USER').at(-1) ?? '';
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
    expect(inRuntime('ENV').join(' ')).toMatch(/NODE_ENV=production/);
    expect(inRuntime('ENV').join(' ')).toMatch(/JOBS=external/);
    expect(all('EXPOSE').join(' ').split(/\s+/)).toEqual(expect.arrayContaining(['3000', '9464']));
    expect(JSON.parse(inRuntime('ENTRYPOINT').at(-1) ?? 'null')).toEqual(['node', 'src/cli/bi.ts']);
    expect(JSON.parse(inRuntime('CMD').at(-1) ?? 'null')).toEqual(['serve']);
  });

  it('bakes in no secrets', () => {
    const names = [...all('ARG'), ...all('ENV')].flatMap((a) =>
      a.split(/\s+/).map((pair) => pair.split('=')[0] ?? ''),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names)
      expect(name).not.toMatch(/SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE|SIGNING_KEY|CREDENTIAL/i);
    expect(all('ENV').join(' ')).not.toMatch(/DATABASE_URL|postgres:\/\//i);
    expect(all('COPY').join(' ')).not.toMatch(/\.env\b/);
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync('.dockerignore', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('keeps git history, local dependencies, data and environment files out of the build context', () => {
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', '.data', '.env*']));
  });
});
