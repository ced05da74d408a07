import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
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
