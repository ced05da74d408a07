import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The two web front ends, built as one multi-page app:
 *   dist/web/capture/index.html  (mobile capture, small bundle: React + LeafyGreen palette only)
 *   dist/web/admin/index.html    (control plane: LeafyGreen components, TanStack Query, lazy ECharts)
 *   dist/web/assets/*            (hashed JS/CSS shared by both)
 * The API server serves /capture/*, /admin/* and /assets/* from dist/web.
 */
const repoRoot = import.meta.dirname;
const webRoot = resolve(repoRoot, 'src/web');

/** Where `vite dev` forwards API and auth calls (the Fastify server started separately). */
const devApiTarget = 'http://127.0.0.1:3000';

export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: false,
  plugins: [react()],
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
    outDir: resolve(repoRoot, 'dist/web'),
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
