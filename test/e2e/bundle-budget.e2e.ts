import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CAPTURE_JS_BUDGET_KB, gzipKb, pageAssets } from '../../bench/scenarios/capture-bundle.ts';
import { WEB_ROOT } from '../../src/server/runtime.ts';

/** ARCHITECTURE §7: the capture PWA must stay within 150 KB gzip, measured on the real build. */
const CAPTURE_BUDGET_BYTES = CAPTURE_JS_BUDGET_KB * 1024;
const gzipBytes = (asset: string) => gzipKb(asset) * 1024;
/** The dashboard's ECharts slice (echarts.ts), loaded with the first chart: a guard against importing all of it. */
const ECHARTS_BUDGET_KB = 200;

describe('bundle budgets', () => {
  it('keeps everything the capture page loads under 150 KB gzip', () => {
    const assets = pageAssets('capture');
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    const html = gzipSync(readFileSync(path.join(WEB_ROOT, 'capture', 'index.html'))).length;
    const total = html + assets.reduce((sum, asset) => sum + gzipBytes(asset), 0);
    console.log(`capture page: ${(total / 1024).toFixed(1)} KB gzip of ${CAPTURE_BUDGET_BYTES / 1024} KB`);
    expect(total).toBeLessThan(CAPTURE_BUDGET_BYTES);
  });

  it('loads ECharts and the reporting pages on use, never with the admin page, and only the chart types drawn', () => {
    const upFront = pageAssets('admin');
    const js = upFront.filter((a) => a.endsWith('.js'));
    const lazy = readdirSync(path.join(WEB_ROOT, 'assets')).filter((file) =>
      /^(echarts|LeaderboardPage|ThemesPage|ReportsPage)-.*\.js$/.test(file),
    );
    expect(lazy.map((file) => file.replace(/-[\w-]+\.js$/, '')).sort()).toEqual([
      'LeaderboardPage',
      'ReportsPage',
      'ThemesPage',
      'echarts',
    ]);
    for (const file of lazy) expect(upFront).not.toContain(`/assets/${file}`);
    const echarts = lazy.find((file) => file.startsWith('echarts-')) ?? '';
    const echartsKb = gzipKb(`/assets/${echarts}`);
    const adminKb = js.reduce((sum, asset) => sum + gzipKb(asset), 0);
    console.log(
      `admin page: ${adminKb.toFixed(1)} KB gzip JavaScript up front; ECharts chunk (on first chart) ${echartsKb.toFixed(1)} KB gzip`,
    );
    // Bar, line and pie with grid, legend and tooltip are about 180 KB; the whole of ECharts is twice that.
    expect(echartsKb).toBeLessThan(ECHARTS_BUDGET_KB);
  });

  it('keeps the admin-only libraries (LeafyGreen components, ECharts, TanStack Query) out of the capture page', () => {
    const code = (page: string) =>
      pageAssets(page)
        .filter((a) => a.endsWith('.js'))
        .map((a) => readFileSync(path.join(WEB_ROOT, a), 'utf8'))
        .join('\n');
    const admin = code('admin');
    const capture = code('capture');
    // Each marker is found in the admin bundle, so its absence from capture means something.
    for (const marker of ['echarts', 'QueryClient', 'lg-button']) {
      expect({ marker, admin: admin.includes(marker), capture: capture.includes(marker) }).toEqual({
        marker,
        admin: true,
        capture: false,
      });
    }
  });
});
