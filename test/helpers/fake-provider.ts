import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake third-party provider received, whole. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface FakeProvider {
  /** `http://127.0.0.1:<port>`: the provider's base, to put in STT_URL, REPORT_SUMMARY_URL … */
  origin: string;
  /** Every request so far, in order (tests empty it with `seen.length = 0`). */
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A local HTTP server standing in for a third-party API (speech-to-text, LLM summary): the only place tests
 * mock, at the HTTP boundary. It records each request, then lets `answer` write the response — or leave it
 * hanging, to play a provider that never answers.
 */
export async function startFakeProvider(
  answer: (request: SeenRequest, response: ServerResponse) => void,
): Promise<FakeProvider> {
  const seen: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(entry);
      answer(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
