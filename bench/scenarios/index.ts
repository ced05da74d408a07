import type { Scenario } from '../harness.ts';
import { captureBundle } from './capture-bundle.ts';
import { captureTapToSaved } from './capture-tap-to-saved.ts';

/** Every scenario, in the order `npm run bench` runs them. */
export const SCENARIOS: Scenario[] = [captureBundle, captureTapToSaved];
