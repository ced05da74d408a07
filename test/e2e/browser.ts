import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';

/** Debian's Chromium (no browser download is possible here); the flags the platform requires. */
export const CHROMIUM = '/usr/bin/chromium';

/** `extraArgs`: more command-line switches, e.g. a fake microphone for the voice tests. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run apt-get install -y chromium (.ci/run does).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/** The app serving the built web apps, with the dev IdP, and a Chromium to drive them. */
export async function startBrowserStack(
  options: { chromiumArgs?: string[] } = {},
): Promise<{ stack: TestStack; browser: Browser }> {
  if (!existsSync(path.join(WEB_ROOT, 'capture', 'index.html'))) {
    throw new Error('Web apps are not built: npm run test:e2e builds them first.');
  }
  const stack = await startStack({ webRoot: WEB_ROOT });
  try {
    return { stack, browser: await launchChromium(options.chromiumArgs) };
  } catch (err) {
    await stack.close();
    throw err;
  }
}

/**
 * Every Content-Security-Policy violation in the context's pages becomes a console error (and is kept in
 * `window.__cspViolations`), so `watchProblems` sees it. Call before the context opens its first page.
 */
export async function reportCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    Object.defineProperty(window, '__cspViolations', { value: seen });
    document.addEventListener('securitypolicyviolation', (event) => {
      const text = `CSP violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`;
      seen.push(text);
      console.error(text);
    });
  });
}

/**
 * Console errors, uncaught exceptions and (with `reportCspViolations`) CSP violations of our origin, pushed to
 * `sink` as "<label> <page url>: <text>". `when` arms it (e.g. only once signed in: an app's first 401 before
 * sign-in is expected); `ignore` drops an expected message.
 */
export function watchProblems(
  page: Page,
  origin: string,
  sink: string[],
  options: { label?: string; when?: () => boolean; ignore?: (text: string) => boolean } = {},
): void {
  const prefix = options.label ? `${options.label} ` : '';
  page.on('console', (message) => {
    const url = message.location().url;
    const text = message.text();
    if (message.type() !== 'error' || (options.when && !options.when()) || options.ignore?.(text)) return;
    if (url === '' || url.startsWith(origin)) sink.push(`${prefix}${page.url()}: ${text}`);
  });
  page.on('pageerror', (error) => sink.push(`${prefix}${page.url()}: ${error.message}`));
}
