import type { Scenario } from '../harness.ts';
import { authzScope } from './authz-scope.ts';
import { captureBundle } from './capture-bundle.ts';
import { captureMemory } from './capture-memory.ts';
import { captureTapToSaved } from './capture-tap-to-saved.ts';
import { captureWrite, captureWriteP99 } from './capture-write.ts';
import { coldStart } from './cold-start.ts';
import { dashboardScoped } from './dashboard-scoped.ts';
import { scimGroups } from './scim-groups.ts';
import { search } from './search.ts';
import { syncBatch } from './sync-batch.ts';

/** Every scenario, in the order `npm run bench` runs them. */
export const SCENARIOS: Scenario[] = [
  captureWrite,
  captureWriteP99,
  syncBatch,
  dashboardScoped,
  search,
  authzScope,
  scimGroups,
  coldStart,
  captureMemory,
  captureBundle,
  captureTapToSaved,
];
