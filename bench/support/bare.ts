import Fastify, { type FastifyInstance } from 'fastify';
import { TAXONOMY_VERSION } from '../../src/contract/taxonomy.ts';
import type { Db } from '../../src/server/db/client.ts';
import { insights } from '../../src/server/db/schema.ts';

interface CaptureBody {
  id: string;
  text: string;
  type: string;
  productAreas: string[];
  sentiment: string;
  priority: string;
  tags: string[];
  capturedAt: string;
}

/** The row captureOne writes for a capture (same columns, same values), authored by `authorId`. */
export function insightRow(body: CaptureBody, authorId: string, now = new Date()) {
  return {
    id: body.id,
    authorId,
    text: body.text,
    title: null,
    type: body.type,
    productAreas: body.productAreas,
    sentiment: body.sentiment,
    priority: body.priority,
    tags: [...new Set(body.tags)],
    developer: null,
    followUp: false,
    followUpStatus: null,
    followUpUpdatedAt: null,
    eventId: null,
    sessionId: null,
    source: 'capture' as const,
    taxonomyVersion: TAXONOMY_VERSION,
    capturedAt: new Date(body.capturedAt),
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The baseline of the capture-write scenarios: a bare Fastify instance (no plugins, no logger) with one route
 * doing the same INSERT into insights (same columns) through the same database client as the app, answering
 * 201 with the stored row. Authors rotate over `authorIds` the way the load rotates over signed-in people.
 */
export async function startBareCapture(
  db: Db,
  authorIds: readonly string[],
): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  let k = 0;
  app.post('/insights', async (request, reply) => {
    const author = authorIds[k++ % authorIds.length] ?? '';
    const [row] = await db
      .insert(insights)
      .values(insightRow(request.body as CaptureBody, author))
      .returning();
    const { searchVector: _omitted, ...insight } = row ?? { searchVector: '' };
    return reply.code(201).send(insight);
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}
