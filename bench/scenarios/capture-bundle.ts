import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import type { Scenario } from '../harness.ts';

/** The capture app's JavaScript budget (ARCHITECTURE §7, issue 5): what the page loads up front, gzip. */
export const CAPTURE_JS_BUDGET_KB = 150;

/** Scripts, stylesheets and module preloads a built page loads up front, as Vite wrote them into its HTML. */
export function pageAssets(page: string, webRoot = WEB_ROOT): string[] {
  const html = readFileSync(path.join(webRoot, page, 'index.html'), 'utf8');
  return [...new Set([...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? ''))];
}

export const gzipKb = (file: string, webRoot = WEB_ROOT) =>
  gzipSync(readFileSync(path.join(webRoot, file))).length / 1024;

/**
 * An absolute budget, so the "baseline" is the budget itself (ratio = share of the budget used): a byte count
 * does not drift with machine load the way a timing does.
 */
export const captureBundle: Scenario = {
  name: 'capture-bundle',
  description: 'capture PWA JavaScript the page loads up front, gzip, on the real build',
  target: { kind: 'absolute_max', value: CAPTURE_JS_BUDGET_KB, unit: 'KB', note: 'gzip JavaScript' },
  async run(context) {
    if (!existsSync(path.join(WEB_ROOT, 'capture', 'index.html'))) {
      throw new Error('The web apps are not built: run npm run build first.');
    }
    const assets = pageAssets('capture');
    const scripts = assets.filter((asset) => asset.endsWith('.js'));
    const js = scripts.reduce((sum, file) => sum + gzipKb(file), 0);
    const css = assets.filter((a) => a.endsWith('.css')).reduce((sum, file) => sum + gzipKb(file), 0);
    // The service worker installs in the background after the first load and is cached; reported apart.
    const worker = existsSync(path.join(WEB_ROOT, 'capture', 'sw.js')) ? gzipKb('/capture/sw.js') : 0;
    context.log(
      `${scripts.length} script(s) loaded up front; CSS ${css.toFixed(1)} KB; sw.js ${worker.toFixed(1)} KB`,
    );
    return {
      ours: js,
      baseline: CAPTURE_JS_BUDGET_KB,
      unit: 'KB',
      details:
        `page JS ${js.toFixed(1)} KB gzip of a ${CAPTURE_JS_BUDGET_KB} KB budget ` +
        `(+ CSS ${css.toFixed(1)} KB; service worker ${worker.toFixed(1)} KB, fetched after load)`,
    };
  },
};
