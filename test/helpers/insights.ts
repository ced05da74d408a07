import { randomUUID } from 'node:crypto';

/** A valid capture as the capture app's outbox sends it (an hour old), with any field overridden. */
export function outboxInsight(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    text: 'Offline capture from the booth',
    type: 'feature_request',
    productAreas: ['atlas_vector_search'],
    sentiment: 'neutral',
    priority: 'medium',
    capturedAt: new Date(Date.now() - 3_600_000).toISOString(),
    ...overrides,
  };
}
