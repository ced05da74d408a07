import { hostname } from 'node:os';
import {
  context,
  isSpanContextValid,
  propagation,
  type Span,
  type SpanContext,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type ExportResult, ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';
import type { Config } from '../config.ts';

/**
 * OpenTelemetry tracing, set up by hand (no auto-instrumentation: Node runs our .ts ESM directly, and loader
 * hooks that patch modules are not used). One TracerProvider per process with a W3C trace-context propagator
 * and an AsyncLocalStorage context manager, so the span of an HTTP request or job is the active span for all the
 * work it causes (database spans nest under it, log lines carry its ids).
 *
 * Spans are always created, so every request and job has a trace id for logs and audit events. They are
 * recorded and exported only when an exporter is configured (OTLP/HTTP to `<endpoint>/v1/traces`); without one,
 * every span is non-recording (ids, no attributes, no cost of export).
 */
export const TRACER_NAME = 'builder-insights';

export interface Tracing {
  /** Exports what is buffered, then stops the provider (at shutdown, after the last request and job). */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Tests: record every span into this exporter, synchronously (SimpleSpanProcessor), instead of OTLP. */
  exporter?: SpanExporter;
}

let provider: TracerProvider | null = null;
let tracer: Tracer | null = null;

function install(next: TracerProvider): void {
  // Re-initialising (tests) replaces the previous global registration instead of failing on a duplicate.
  trace.disable();
  context.disable();
  propagation.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(next);
  provider = next;
  tracer = next.getTracer(TRACER_NAME);
}

type OtlpConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

/**
 * The OTLP/HTTP exporter, loaded with the first batch it exports rather than at start-up (with its transformer
 * and transport it costs about 0.1 s of CPU and 20 MB at start; docs/performance.md). A process without an OTLP
 * endpoint never loads it; a failure to load fails that export, as a failed send would.
 */
export class LazyOtlpTraceExporter implements SpanExporter {
  readonly #config: OtlpConfig;
  #exporter: Promise<SpanExporter> | null = null;

  constructor(config: OtlpConfig) {
    this.#config = config;
  }

  #load(): Promise<SpanExporter> {
    this.#exporter ??= import('@opentelemetry/exporter-trace-otlp-http').then(
      (otlp) => new otlp.OTLPTraceExporter(this.#config),
    );
    return this.#exporter;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.#load().then(
      (exporter) => exporter.export(spans, resultCallback),
      (err: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: err instanceof Error ? err : new Error(String(err)),
        }),
    );
  }

  async forceFlush(): Promise<void> {
    if (this.#exporter) await (await this.#exporter).forceFlush?.();
  }

  async shutdown(): Promise<void> {
    if (this.#exporter) await (await this.#exporter).shutdown();
  }
}

/** The resource every span carries: who produced it. */
export function tracingResource(config: Pick<Config, 'env' | 'observability'>, version: string): Resource {
  const settings = config.observability.tracing;
  const derived: Record<string, string> = {
    'deployment.environment.name': config.env,
    [ATTR_SERVICE_INSTANCE_ID]: settings.podName ?? `${hostname()}-${process.pid}`,
  };
  if (settings.podName) derived['k8s.pod.name'] = settings.podName;
  // Precedence (last wins): SDK defaults, derived values, OTEL_RESOURCE_ATTRIBUTES, then the service identity.
  return defaultResource()
    .merge(resourceFromAttributes(derived))
    .merge(resourceFromAttributes(settings.resourceAttributes))
    .merge(
      resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName, [ATTR_SERVICE_VERSION]: version }),
    );
}

/**
 * Set up tracing for this process (main.ts and `bi jobs run` call it first). With an exporter (OTLP endpoint
 * configured, or a test exporter), root traces are sampled at OTEL_TRACES_SAMPLER_ARG and a caller's sampled
 * (or unsampled) decision in `traceparent` is followed; without one, spans are created but never recorded.
 */
export function initTracing(
  config: Pick<Config, 'env' | 'observability'>,
  version: string,
  options: TracingOptions = {},
): Tracing {
  const settings = config.observability.tracing;
  const processors: SpanProcessor[] = [];
  if (options.exporter) processors.push(new SimpleSpanProcessor({ exporter: options.exporter }));
  else if (settings.otlpEndpoint)
    processors.push(
      new BatchSpanProcessor({
        exporter: new LazyOtlpTraceExporter({
          url: `${settings.otlpEndpoint}/v1/traces`,
          headers: { ...settings.otlpHeaders },
        }),
      }),
    );
  const sampler: Sampler =
    processors.length > 0
      ? new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) })
      : new AlwaysOffSampler();
  const next = new TracerProvider({
    resource: tracingResource(config, version),
    sampler,
    spanProcessors: processors,
    // db.query.text is cut to 2,000 characters by the database wrapper; nothing else is longer.
    spanLimits: { attributeValueLengthLimit: 4096 },
  });
  install(next);
  return {
    async shutdown() {
      if (provider !== next) return;
      await next.shutdown();
    },
  };
}

/** buildApp without initTracing (tests, tools): spans still get ids, nothing is recorded. */
export function ensureTracing(): void {
  if (!provider) install(new TracerProvider({ sampler: new AlwaysOffSampler() }));
}

/** This process's tracer (a non-recording default until initTracing runs). */
export function getTracer(): Tracer {
  if (!tracer) ensureTracing();
  return tracer as Tracer;
}

/** The active span's context when it is a real one (so a log line or audit event can name its trace). */
export function activeSpanContext(): SpanContext | null {
  const span = trace.getActiveSpan();
  if (!span) return null;
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) ? spanContext : null;
}

/** The active trace id, or null outside any request or job. */
export function currentTraceId(): string | null {
  return activeSpanContext()?.traceId ?? null;
}

/** Record a failure on a span: an exception event (type and message) and the error status. */
export function recordFailure(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message.slice(0, 200) });
}
