import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, webDistDir } from './config.ts';

/** Helpers shared by main.ts and the CLI: where things are, and how local defaults are resolved. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built web apps; WEB_DIST (developer convenience, same as vite.config.ts) points elsewhere. */
export const WEB_ROOT = path.resolve(REPO_ROOT, webDistDir());

export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Outside production a missing SESSION_SECRET is generated once and kept in DATA_DIR, so CSRF tokens survive
 * restarts on a developer machine. Production refuses to start without one (config.ts).
 */
export function resolveSessionSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  if (config.env === 'production') throw new Error('SESSION_SECRET is required in production');
  const file = path.join(config.dataDir, 'dev-session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The issuer the embedded dev identity provider will have (same host people use for the app). */
export function devIssuer(config: Config): string {
  return `http://${new URL(config.publicUrl).hostname}:${config.devIdpPort}`;
}
