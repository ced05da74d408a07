/** Set by vite's `define` at build time: package.json version + short build id, e.g. "0.1.0+3f9c2ab". */
declare const __APP_VERSION__: string;

/** This build of the capture app ("dev" when not built by vite: tests, type checks). */
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
