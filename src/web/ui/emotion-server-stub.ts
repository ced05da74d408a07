/**
 * Browser stand-in for `@emotion/server/create-instance`, aliased in vite.config.ts. LeafyGreen's emotion package
 * creates the server-rendering helpers at import time; their real implementation pulls Node stream polyfills
 * (through, multipipe, readable-stream, buffer) into the browser bundle although only server-side rendering
 * calls them. Nothing here renders on the server, so each helper just says so if it is ever called.
 */
function unavailable(): never {
  throw new Error('Emotion server-side rendering helpers are not available in the browser build.');
}

export default function createEmotionServer(_cache: unknown) {
  return {
    extractCritical: unavailable,
    extractCriticalToChunks: unavailable,
    renderStylesToString: unavailable,
    renderStylesToNodeStream: unavailable,
    constructStyleTagsFromChunks: unavailable,
  };
}
