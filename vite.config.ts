import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { captureManifest, capturePwa } from './vite.pwa.ts';

/**
 * The two web front ends, built as one multi-page app:
 *   dist/web/capture/index.html  (mobile capture, small bundle: React + LeafyGreen palette only)
 *   dist/web/admin/index.html    (control plane: LeafyGreen components, TanStack Query, lazy ECharts)
 *   dist/web/assets/*            (hashed JS/CSS shared by both)
 *   dist/web/capture/sw.js, manifest.webmanifest, icons/*  (the capture PWA: see vite.pwa.ts)
 * The API server serves /capture/*, /admin/* and /assets/* from dist/web.
 */
const repoRoot = import.meta.dirname;
const webRoot = resolve(repoRoot, 'src/web');
/** WEB_DIST (developer convenience) builds elsewhere, so two checkouts' builds or e2e runs never collide. */
const distWeb = resolve(repoRoot, process.env.WEB_DIST ?? 'dist/web');

/**
 * "0.1.0+3f9c2ab": the package version and the build's commit (BUILD_ID when set, e.g. by CI or the image
 * build; a time stamp when there is no git), shown in the capture app and sent with bug reports and telemetry.
 */
function appVersion(): string {
  const { version } = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  let build = process.env.BUILD_ID ?? '';
  if (build === '') {
    try {
      build = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: repoRoot,
        encoding: 'utf8',
      }).trim();
    } catch {
      build = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    }
  }
  return `${version}+${build}`.slice(0, 64);
}

/** Where `vite dev` forwards API and auth calls (the Fastify server started separately). */
const devApiTarget = 'http://127.0.0.1:3000';

export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: false,
  plugins: [react(), captureManifest(webRoot), ...capturePwa(webRoot, distWeb)],
  define: { __APP_VERSION__: JSON.stringify(appVersion()) },
  resolve: {
    alias: [
      // SSR-only helpers that would drag Node stream polyfills into the browser (see the stub's comment).
      {
        find: /^@emotion\/server\/create-instance$/,
        replacement: resolve(webRoot, 'ui/emotion-server-stub.ts'),
      },
    ],
  },
  build: {
    outDir: distWeb,
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      input: {
        capture: resolve(webRoot, 'capture/index.html'),
        admin: resolve(webRoot, 'admin/index.html'),
      },
    },
  },
  server: {
    proxy: {
      '/api': devApiTarget,
      '/auth': devApiTarget,
    },
  },
});
