import type { AddressInfo } from 'node:net';
import { collect } from './metrics.ts';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './prometheus.ts';

/**
 * The internal metrics listener: a plain node:http server on its own port (METRICS_PORT, default 9464) that
 * answers only `GET /metrics` (and HEAD) with the Prometheus text format. It is never routed by the ingress and
 * shares nothing with the app's port: the app itself has no /metrics route.
 */
export interface MetricsServer {
  /** The port it listens on (useful when started on port 0 in tests). */
  port: number;
  close(): Promise<void>;
}

export interface MetricsLog {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Run after each successful GET /metrics, by name like collectors (the readiness model records that Prometheus
 * reaches us). Never awaited by the scrape, and a failing listener never fails it.
 */
const scrapeListeners = new Map<string, () => Promise<void>>();
export function onScrape(name: string, listener: () => Promise<void>): void {
  scrapeListeners.set(name, listener);
}

export async function startMetricsServer(options: {
  port: number;
  host: string;
  log: MetricsLog;
}): Promise<MetricsServer> {
  const { log } = options;
  // Imported here, when the listener starts (after the app listens): in an ES module, `import … from
  // 'node:http'` also loads Node's bundled fetch implementation (undici), ~30 ms that no start-up needs.
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Not found: try GET /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('Method not allowed\n');
      return;
    }
    collect((name, err) =>
      log.warn({ collector: name, err }, 'metrics collector failed; its values may be stale'),
    )
      .then((metrics) => {
        const body = renderPrometheus(metrics);
        res.writeHead(200, {
          'content-type': PROMETHEUS_CONTENT_TYPE,
          'content-length': Buffer.byteLength(body),
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        if (req.method === 'GET')
          for (const [name, listener] of scrapeListeners)
            listener().catch((err: unknown) => log.warn({ listener: name, err }, 'scrape listener failed'));
      })
      .catch((err: unknown) => {
        log.error({ err }, 'metrics scrape failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('metrics unavailable\n');
      });
  });
  // Scrapers keep connections alive; do not let an idle one hold shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
