import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/stack.ts';

/** How the server hands out the capture PWA's files (a build's layout, written to a temporary web root). */

let stack: TestStack;
let webRoot: string;
const ICON = readFileSync(path.join(import.meta.dirname, '../../src/web/capture/public/icons/icon-192.png'));

beforeAll(async () => {
  webRoot = mkdtempSync(path.join(tmpdir(), 'bi-pwa-'));
  for (const dir of ['capture/icons', 'admin', 'assets'])
    mkdirSync(path.join(webRoot, dir), { recursive: true });
  writeFileSync(path.join(webRoot, 'capture/index.html'), '<!doctype html><title>capture shell</title>');
  writeFileSync(path.join(webRoot, 'admin/index.html'), '<!doctype html><title>admin</title>');
  writeFileSync(path.join(webRoot, 'capture/sw.js'), 'self.addEventListener("install", () => {});');
  writeFileSync(path.join(webRoot, 'capture/manifest.webmanifest'), '{"name":"Builder Insights Capture"}');
  writeFileSync(path.join(webRoot, 'capture/icons/icon-192.png'), ICON);
  writeFileSync(path.join(webRoot, 'assets/capture-abc123.js'), 'console.log(1)');
  stack = await startStack({ webRoot });
});
afterAll(async () => {
  await stack?.close();
  rmSync(webRoot, { recursive: true, force: true });
});

const get = (p: string) => fetch(`${stack.baseUrl}${p}`);

describe('serving the capture PWA', () => {
  it('serves the service worker as JavaScript that is revalidated on every update check', async () => {
    const response = await get('/capture/sw.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('install');
  });

  it('serves the web manifest with its own media type, and the icons', async () => {
    const manifest = await get('/capture/manifest.webmanifest');
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
    const icon = await get('/capture/icons/icon-192.png');
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await icon.arrayBuffer()).equals(ICON)).toBe(true);
  });

  it('answers client-side routes with the shell (never cached) and keeps hashed assets immutable', async () => {
    const route = await get('/capture/drafts');
    expect(await route.text()).toContain('capture shell');
    expect(route.headers.get('cache-control')).toBe('no-store');
    const asset = await get('/assets/capture-abc123.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('lets the page register a same-origin worker and manifest, and nothing else (CSP)', async () => {
    const csp = (await get('/capture/')).headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `));
    expect(directive('worker-src')).toBe("worker-src 'self'");
    expect(directive('manifest-src')).toBe("manifest-src 'self'");
    expect(directive('script-src')).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9_-]{22}'$/);
    expect(directive('connect-src')).toBe("connect-src 'self'");
  });
});
