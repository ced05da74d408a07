/** Longest wait between two automatic attempts of one item. */
export const BACKOFF_CAP_MS = 300_000;
const BACKOFF_BASE_MS = 2_000;

/**
 * How long to leave an item alone after its attempt number `attempts` failed in transit: "full jitter" —
 * a random wait between 0 and min(cap, base × 2^attempts), so a crowd of phones coming back online at the
 * end of a talk does not hit the server in step. `random` is Math.random in the app, injected in tests.
 */
export function backoffDelay(attempts: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempts, 30)));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}
