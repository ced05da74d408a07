import { LIMITS } from '../../../contract/limits.ts';

/**
 * The device details a bug report carries, collected by the app (nobody should have to type their browser
 * version) and shown to the person before sending. Only plain, bounded values: no storage contents, no ids.
 */

export type DeviceValue = string | number | boolean;
export type DeviceInfo = Record<string, DeviceValue>;

/** What the browser tells us, read once when the report sheet opens (see readDeviceEnv). */
export interface DeviceEnv {
  appVersion: string;
  tab: string;
  userAgent: string;
  platform: string;
  language: string;
  viewportWidth: number;
  viewportHeight: number;
  screenWidth: number;
  screenHeight: number;
  pixelRatio: number;
  online: boolean;
  standalone: boolean;
  timeZone: string;
}

const KEY_MAX = 50;

/** Control characters (newlines included) become spaces: a device value is one line in the triage page. */
function oneLine(value: string): string {
  let line = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    line += code < 0x20 || code === 0x7f ? ' ' : ch;
  }
  return line.replace(/\s+/g, ' ').trim();
}

/**
 * Keeps what the server accepts (BugReportCreate.device): at most LIMITS.bugDeviceFields entries, keys up to
 * 50 characters, strings up to LIMITS.bugDeviceValue on one line, finite numbers, booleans. Anything else
 * (objects, NaN, empty keys) is left out rather than failing the whole report.
 */
export function sanitizeDevice(raw: Record<string, unknown>): DeviceInfo {
  const device: DeviceInfo = {};
  for (const [rawKey, value] of Object.entries(raw)) {
    if (Object.keys(device).length >= LIMITS.bugDeviceFields) break;
    const key = oneLine(rawKey).slice(0, KEY_MAX);
    if (key === '' || key in device) continue;
    if (typeof value === 'string') {
      const text = oneLine(value).slice(0, LIMITS.bugDeviceValue);
      if (text !== '') device[key] = text;
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      device[key] = Math.round(value * 100) / 100;
    } else if (typeof value === 'boolean') {
      device[key] = value;
    }
  }
  return device;
}

export function deviceInfo(env: DeviceEnv): DeviceInfo {
  return sanitizeDevice({
    appVersion: env.appVersion,
    tab: env.tab,
    userAgent: env.userAgent,
    platform: env.platform,
    language: env.language,
    viewport: `${Math.round(env.viewportWidth)}×${Math.round(env.viewportHeight)}`,
    screen: `${Math.round(env.screenWidth)}×${Math.round(env.screenHeight)}`,
    pixelRatio: env.pixelRatio,
    online: env.online,
    installed: env.standalone,
    timeZone: env.timeZone,
  });
}

const LABELS: Record<string, string> = {
  appVersion: 'App version',
  tab: 'Current tab',
  userAgent: 'Browser',
  platform: 'Platform',
  language: 'Language',
  viewport: 'Window size',
  screen: 'Screen size',
  pixelRatio: 'Pixel ratio',
  online: 'Online',
  installed: 'Installed app',
  timeZone: 'Time zone',
};

/** The details as the person reads them in the report sheet. */
export function deviceLines(device: DeviceInfo): { label: string; value: string }[] {
  return Object.entries(device).map(([key, value]) => ({
    label: LABELS[key] ?? key,
    value: typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value),
  }));
}

interface NavigatorWithHints {
  userAgentData?: { platform?: string };
}

/** The browser side of deviceInfo; call only in a page. */
export function readDeviceEnv(appVersion: string, tab: string): DeviceEnv {
  const hints = (navigator as Navigator & NavigatorWithHints).userAgentData;
  return {
    appVersion,
    tab,
    userAgent: navigator.userAgent,
    platform: hints?.platform ?? navigator.platform ?? '',
    language: navigator.language,
    viewportWidth: window.innerWidth,
    viewportHeight: window.innerHeight,
    screenWidth: window.screen.width,
    screenHeight: window.screen.height,
    pixelRatio: window.devicePixelRatio,
    online: navigator.onLine,
    standalone: window.matchMedia('(display-mode: standalone)').matches,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
