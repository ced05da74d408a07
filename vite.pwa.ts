import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { themeVars } from './src/web/capture/theme.ts';

/**
 * The capture app as an installable PWA inside the multi-page build (vite.config.ts):
 *  - captureManifest(): the web app manifest and icons, linked from capture/index.html only (the admin app is
 *    not part of the PWA);
 *  - capturePwa(): vite-plugin-pwa builds src/web/capture/sw.ts into /capture/sw.js and injects the precache
 *    list: exactly the files reachable from capture/index.html (its chunks, lazy chunks, CSS, assets) plus the
 *    manifest and icons — never the admin app's.
 */

const CAPTURE_HTML = 'capture/index.html';
const MANIFEST_FILE = 'capture/manifest.webmanifest';
const ICONS = [
  { file: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
  { file: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
  { file: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  { file: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
] as const;
const APPLE_TOUCH_ICON = 'apple-touch-icon.png';

const colour = (name: string) => String((themeVars as Record<string, unknown>)[name]);

export function webManifest() {
  return {
    id: '/capture/',
    name: 'Builder Insights Capture',
    short_name: 'Capture',
    description: 'Capture developer feedback at events, online or offline.',
    start_url: '/capture/',
    scope: '/capture/',
    display: 'standalone',
    orientation: 'portrait',
    lang: 'en',
    theme_color: colour('--bi-primary'),
    background_color: colour('--bi-bg'),
    icons: ICONS.map(({ file, sizes, type, purpose }) => ({
      src: `/capture/icons/${file}`,
      sizes,
      type,
      purpose,
    })),
  };
}

/** Emits the manifest and the icons (src/web/capture/public/icons) and links them from the capture page. */
export function captureManifest(webRoot: string): Plugin {
  const iconDir = resolve(webRoot, 'capture/public/icons');
  return {
    name: 'bi-capture-manifest',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: MANIFEST_FILE, source: `${JSON.stringify(webManifest())}\n` });
      for (const file of [...ICONS.map((icon) => icon.file), APPLE_TOUCH_ICON]) {
        this.emitFile({
          type: 'asset',
          fileName: `capture/icons/${file}`,
          source: readFileSync(resolve(iconDir, file)),
        });
      }
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.filename.endsWith(CAPTURE_HTML)) return html;
        const head = [
          '<link rel="manifest" href="/capture/manifest.webmanifest" />',
          '<link rel="icon" href="/capture/icons/icon.svg" type="image/svg+xml" />',
          `<link rel="apple-touch-icon" href="/capture/icons/${APPLE_TOUCH_ICON}" />`,
        ].join('\n    ');
        // The page's placeholder favicon gives way to the app icon.
        return html
          .replace(/\s*<link rel="icon" href="data:,"\s*\/?>/, '')
          .replace(/\s*<\/head>/, `\n    ${head}\n  </head>`);
      },
    },
  };
}

interface ChunkLike {
  type: 'chunk' | 'asset';
  fileName: string;
  imports?: string[];
  dynamicImports?: string[];
  viteMetadata?: { importedCss?: Set<string>; importedAssets?: Set<string> };
  source?: string | Uint8Array;
}

/** Every output file the capture page can load: its HTML's references, then their imports, transitively. */
export function reachableFromCapture(bundle: Record<string, ChunkLike>): Set<string> {
  const html = bundle[CAPTURE_HTML];
  const source = typeof html?.source === 'string' ? html.source : new TextDecoder().decode(html?.source);
  const reachable = new Set<string>([CAPTURE_HTML, MANIFEST_FILE]);
  for (const icon of [...ICONS.map((i) => i.file), APPLE_TOUCH_ICON]) reachable.add(`capture/icons/${icon}`);
  const queue = [...source.matchAll(/(?:src|href)="\/([^"]+)"/g)].map((m) => m[1] ?? '');
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (reachable.has(file) || bundle[file] === undefined) {
      reachable.add(file);
      continue;
    }
    reachable.add(file);
    const item = bundle[file];
    if (item?.type !== 'chunk') continue;
    queue.push(
      ...(item.imports ?? []),
      ...(item.dynamicImports ?? []),
      ...(item.viteMetadata?.importedCss ?? []),
      ...(item.viteMetadata?.importedAssets ?? []),
    );
  }
  return reachable;
}

/** vite-plugin-pwa (injectManifest) for the capture app; `distWeb` is the multi-page build's output. */
export function capturePwa(webRoot: string, distWeb: string): Plugin[] {
  let reachable = new Set<string>();
  const collect: Plugin = {
    name: 'bi-capture-precache-list',
    apply: 'build',
    writeBundle(_options, bundle) {
      reachable = reachableFromCapture(bundle as unknown as Record<string, ChunkLike>);
    },
  };
  const pwa = VitePWA({
    strategies: 'injectManifest',
    srcDir: resolve(webRoot, 'capture'),
    filename: 'sw.ts',
    outDir: resolve(distWeb, 'capture'),
    base: '/capture/',
    scope: '/capture/',
    registerType: 'prompt',
    injectRegister: false,
    manifest: false,
    injectManifest: {
      globDirectory: distWeb,
      globPatterns: ['**/*.{html,js,css,svg,png,webmanifest,woff2}'],
      globIgnores: ['capture/sw.js', 'admin/**'],
      // Hashed file names are their own revision.
      dontCacheBustURLsMatching: /^assets\//,
      maximumFileSizeToCacheInBytes: 2 * 1024 * 1024,
      manifestTransforms: [
        async (entries) => ({
          manifest: entries
            .filter((entry) => reachable.has(entry.url))
            .map((entry) => ({ ...entry, url: `/${entry.url}` })),
          warnings: [],
        }),
      ],
    },
  });
  return [collect, ...pwa];
}
