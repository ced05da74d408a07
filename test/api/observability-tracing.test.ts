import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/server/db/schema.ts';
import { getTracer, initTracing, type Tracing } from '../../src/server/observability/tracing.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

const POD = 'bi-api-5d8c7b-x2k9q';
const exporter = new InMemorySpanExporter();
let stack: TestStack;
let tracing: Tracing;
let ari: Session;

beforeAll(async () => {
  stack = await startStack({
    env: {
      POD_NAME: POD,
      OTEL_SERVICE_NAME: 'bi-under-test',
      OTEL_RESOURCE_ATTRIBUTES: 'team=builder-relations',
    },
  });
  tracing = initTracing(stack.config, '1.2.3', { exporter });
  ari = await stack.signIn('Ari');
});
afterAll(async () => {
  await tracing?.shutdown();
  await stack?.close();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

async function waitForSpan(find: (span: ReadableSpan) => boolean): Promise<ReadableSpan> {
  for (let i = 0; i < 100; i += 1) {
    const span = exporter.getFinishedSpans().find(find);
    if (span) return span;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('span not exported');
}

function insightBody(text: string) {
  return {
    id: randomUUID(),
    text,
    type: 'documentation',
    productAreas: ['atlas_vector_search'],
    sentiment: 'negative',
    priority: 'high',
    tags: [],
    followUp: false,
    capturedAt: new Date().toISOString(),
  };
}

function createInsight(traceparent: string, text: string) {
  return ari.post('/api/v1/insights', insightBody(text), { traceparent });
}

async function auditTraceId(requestId: string | null) {
  const [event] = await stack.db.database.db
    .select({ traceId: auditEvents.traceId })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'insight.created'), eq(auditEvents.requestId, requestId ?? '')));
  return event?.traceId;
}

describe('a request continuing an incoming trace', () => {
  it('has a SERVER span under the caller, DB child spans, the log line and the audit event on the same trace', async () => {
    const [traceId, parentId] = [hex(16), hex(8)];
    const secret = `numDimensions guide ${hex(6)}`;
    const response = await createInsight(`00-${traceId}-${parentId}-01`, secret);
    expect(response.status).toBe(201);
    expect(response.headers.get('traceparent')).toBeNull();
    const requestId = response.headers.get('x-request-id');

    const server = await waitForSpan(
      (s) => s.kind === SpanKind.SERVER && s.spanContext().traceId === traceId,
    );
    expect(server.name).toBe('POST /api/v1/insights');
    expect(server.parentSpanContext?.spanId).toBe(parentId);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/v1/insights',
      'url.path': '/api/v1/insights',
      'url.scheme': 'http',
      'http.response.status_code': 201,
      'client.address': '127.0.0.1',
      'bi.request.id': requestId,
    });
    expect(server.status.code).toBe(0);

    const queries = exporter
      .getFinishedSpans()
      .filter((s) => s.kind === SpanKind.CLIENT && s.spanContext().traceId === traceId);
    expect(queries.length).toBeGreaterThan(2);
    for (const query of queries) {
      expect(query.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
      expect(query.attributes['db.system.name']).toBe('postgresql');
      expect(query.attributes['db.namespace']).toBeTruthy();
      expect(String(query.attributes['db.query.text']).length).toBeLessThanOrEqual(2000);
    }
    const insert = queries.find((q) =>
      /^insert into "insights"/i.test(String(q.attributes['db.query.text'])),
    );
    expect(insert?.attributes['db.operation.name']).toBe('INSERT');
    expect(insert?.name).toMatch(/^INSERT /);
    expect(String(insert?.attributes['db.query.text'])).toContain('$1');
    // Parameter values never reach a span.
    expect(JSON.stringify(queries.map((q) => q.attributes))).not.toContain(secret);

    expect(server.resource.attributes).toMatchObject({
      'service.name': 'bi-under-test',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
      'service.instance.id': POD,
      'k8s.pod.name': POD,
      team: 'builder-relations',
    });

    const line = stack.logs.find((l) => l.msg === 'request completed' && l.reqId === requestId);
    expect(line).toMatchObject({ traceId, spanId: server.spanContext().spanId, route: '/api/v1/insights' });
    expect(await auditTraceId(requestId)).toBe(traceId);
  });

  it('keeps the trace id of an unsampled caller for logs and audit, and records no spans', async () => {
    const traceId = hex(16);
    const response = await createInsight(`00-${traceId}-${hex(8)}-00`, 'unsampled capture');
    expect(response.status).toBe(201);
    const requestId = response.headers.get('x-request-id');
    expect(stack.logs.find((l) => l.msg === 'request completed' && l.reqId === requestId)?.traceId).toBe(
      traceId,
    );
    expect(await auditTraceId(requestId)).toBe(traceId);
    expect(exporter.getFinishedSpans().some((s) => s.spanContext().traceId === traceId)).toBe(false);
  });

  it('starts a new trace without a valid traceparent, and keeps it active while a slow body arrives', async () => {
    const json = JSON.stringify(insightBody('slow body'));
    const url = new URL('/api/v1/insights', stack.baseUrl);
    const response = await new Promise<{ status: number; requestId: string | null }>((resolve, reject) => {
      const req = httpRequest(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(json),
          cookie: ari.jar.header(url.href),
          'x-csrf-token': ari.csrf,
          traceparent: '00-not-a-trace-01',
        },
      });
      req.on('response', (res) => {
        res.resume();
        const id = res.headers['x-request-id'];
        resolve({ status: res.statusCode ?? 0, requestId: typeof id === 'string' ? id : null });
      });
      req.on('error', reject);
      req.flushHeaders();
      req.write(json.slice(0, 20));
      setTimeout(() => req.end(json.slice(20)), 100);
    });
    expect(response.status).toBe(201);
    const requestId = response.requestId;
    const server = await waitForSpan(
      (s) => s.kind === SpanKind.SERVER && s.attributes['bi.request.id'] === requestId,
    );
    expect(server.parentSpanContext).toBeUndefined();
    const traceId = server.spanContext().traceId;
    expect(await auditTraceId(requestId)).toBe(traceId);
    const inserts = exporter
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === traceId && s.attributes['db.operation.name'] === 'INSERT');
    expect(inserts.length).toBeGreaterThan(0);
    for (const insert of inserts) expect(insert.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  });

  it('adds the active span to every log line and still redacts personal fields', () => {
    const span = getTracer().startSpan('probe');
    context.with(trace.setSpan(ROOT_CONTEXT, span), () =>
      stack.app.log.info({ person: { email: 'ari.levy@example.com' } }, 'inside a span'),
    );
    span.end();
    stack.app.log.info('outside any span');
    const inside = stack.logs.find((l) => l.msg === 'inside a span');
    expect(inside).toMatchObject({
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      person: { email: '[redacted]' },
    });
    expect(stack.logs.find((l) => l.msg === 'outside any span')).not.toHaveProperty('traceId');
  });
});

describe('the OTLP exporter', () => {
  it('posts spans to <endpoint>/v1/traces with the configured headers', async () => {
    const received: { url?: string; method?: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          url: req.url,
          method: req.method,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const settings = stack.config.observability.tracing;
    const otlp = initTracing(
      {
        env: stack.config.env,
        observability: {
          ...stack.config.observability,
          tracing: {
            ...settings,
            otlpEndpoint: endpoint,
            otlpHeaders: { authorization: 'Bearer otlp-secret' },
          },
        },
      },
      '1.2.3',
    );
    getTracer().startSpan('exported probe').end();
    await otlp.shutdown();
    await new Promise<void>((resolve) => collector.close(() => resolve()));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ url: '/v1/traces', method: 'POST' });
    expect(received[0]?.headers.authorization).toBe('Bearer otlp-secret');
    expect(received[0]?.body).toContain('exported probe');
    expect(received[0]?.body).toContain('bi-under-test');
  });
});
