import { describe, expect, it } from 'vitest';
import { reachableFromCapture, webManifest } from '../../vite.pwa.ts';

describe('capture PWA build', () => {
  it('precaches what the capture page can load (lazy chunks too) and nothing only the admin app uses', () => {
    const chunk = (
      fileName: string,
      imports: string[] = [],
      dynamicImports: string[] = [],
      css: string[] = [],
    ) => ({
      type: 'chunk' as const,
      fileName,
      imports,
      dynamicImports,
      viteMetadata: { importedCss: new Set(css), importedAssets: new Set<string>() },
    });
    const html = (src: string) => ({
      type: 'asset' as const,
      fileName: '',
      source: `<script type="module" src="/${src}"></script><link rel="manifest" href="/capture/manifest.webmanifest" />`,
    });
    const bundle = {
      'capture/index.html': html('assets/capture-1.js'),
      'admin/index.html': html('assets/admin-1.js'),
      'assets/capture-1.js': chunk(
        'assets/capture-1.js',
        ['assets/react-1.js'],
        ['assets/photo-1.js'],
        ['assets/capture-1.css'],
      ),
      'assets/photo-1.js': chunk('assets/photo-1.js', ['assets/react-1.js']),
      'assets/react-1.js': chunk('assets/react-1.js'),
      'assets/admin-1.js': chunk('assets/admin-1.js', ['assets/react-1.js'], ['assets/echarts-1.js']),
      'assets/echarts-1.js': chunk('assets/echarts-1.js'),
    };
    const reachable = reachableFromCapture(bundle);
    for (const file of [
      'capture/index.html',
      'assets/capture-1.js',
      'assets/photo-1.js',
      'assets/react-1.js',
      'assets/capture-1.css',
    ]) {
      expect(reachable.has(file), file).toBe(true);
    }
    for (const file of [
      'capture/manifest.webmanifest',
      'capture/icons/icon-192.png',
      'capture/icons/icon-maskable-512.png',
    ]) {
      expect(reachable.has(file), file).toBe(true);
    }
    for (const file of ['admin/index.html', 'assets/admin-1.js', 'assets/echarts-1.js']) {
      expect(reachable.has(file), file).toBe(false);
    }
  });

  it('describes an installable app scoped to /capture/ with regular and maskable icons', () => {
    const manifest = webManifest();
    expect(manifest).toMatchObject({
      name: 'Builder Insights Capture',
      short_name: 'Capture',
      start_url: '/capture/',
      scope: '/capture/',
      display: 'standalone',
    });
    expect(manifest.theme_color).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(manifest.background_color).toMatch(/^#[0-9A-Fa-f]{6}$/);
    const icons = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`);
    expect(icons).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
  });
});
