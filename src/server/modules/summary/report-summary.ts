import { z } from 'zod';
import type { ReportSummarySettings } from '../../config.ts';
import { readCapped } from '../../http/read-capped.ts';

/** What is sent: a fixed system prompt and the report's facts (summary.prompt.ts builds both). */
export interface SummaryPrompt {
  system: string;
  user: string;
}

/**
 * An LLM that writes the executive summary. One implementation today (OpenAI-compatible chat completions);
 * app.ts picks it from config. `provider` names where data goes (the host, for the audit log), never the key.
 */
export interface ReportSummarizer {
  readonly provider: string;
  readonly model: string;
  summarize(prompt: SummaryPrompt): Promise<string>;
}

/**
 * Why a provider call failed, for logs and the audit event only: never the provider's body (it may echo our
 * request) and never the key.
 */
export type ReportSummaryFailure = 'timeout' | 'unreachable' | 'http_status' | 'invalid_response';

export class ReportSummaryError extends Error {
  readonly reason: ReportSummaryFailure;
  readonly providerStatus: number | null;
  constructor(reason: ReportSummaryFailure, providerStatus: number | null = null) {
    super(`summary provider failed: ${reason}${providerStatus ? ` (HTTP ${providerStatus})` : ''}`);
    this.name = 'ReportSummaryError';
    this.reason = reason;
    this.providerStatus = providerStatus;
  }
}

/** A 200-word summary is about a kilobyte; anything much larger is not an answer we asked for. */
const MAX_ANSWER_BYTES = 256 * 1024;

const Answer = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().trim().min(1) }) })).min(1),
});

async function readAnswer(response: Response): Promise<string> {
  const text = await readCapped(response, MAX_ANSWER_BYTES);
  if (text === null) throw new ReportSummaryError('invalid_response');
  return text;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown';
  }
}

/**
 * OpenAI's `POST /chat/completions` and the servers that copy it (Azure-style gateways, vLLM, Ollama,
 * LocalAI …): the model and two messages (system, user); the key as a bearer token. Only the parameters every
 * one of them accepts are sent (no temperature or token limit: reasoning models refuse those); the prompt
 * asks for the length and the service enforces it.
 */
export function openAiCompatibleSummarizer(settings: ReportSummarySettings): ReportSummarizer {
  return {
    provider: hostOf(settings.url),
    model: settings.model,
    async summarize(prompt) {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'content-type': 'application/json',
      };
      if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
      // One deadline for the whole exchange, the answer's body included.
      const signal = AbortSignal.timeout(settings.timeoutMs);
      let body: string;
      try {
        const response = await fetch(`${settings.url}/chat/completions`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            model: settings.model,
            messages: [
              { role: 'system', content: prompt.system },
              { role: 'user', content: prompt.user },
            ],
          }),
          signal,
          redirect: 'error',
        });
        if (!response.ok) {
          await response.body?.cancel();
          throw new ReportSummaryError('http_status', response.status);
        }
        body = await readAnswer(response);
      } catch (err) {
        if (err instanceof ReportSummaryError) throw err;
        throw new ReportSummaryError(signal.aborted ? 'timeout' : 'unreachable');
      }
      try {
        const parsed = Answer.parse(JSON.parse(body));
        return (parsed.choices[0] as { message: { content: string } }).message.content;
      } catch {
        throw new ReportSummaryError('invalid_response');
      }
    },
  };
}

/** The configured provider, or null when none is (the default: no summary, nothing leaves the app). */
export function reportSummarizerFrom(settings: ReportSummarySettings | null): ReportSummarizer | null {
  return settings ? openAiCompatibleSummarizer(settings) : null;
}
