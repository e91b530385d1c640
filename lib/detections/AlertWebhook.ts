import type { AlertWebhookPayload } from './AlertWebhookPayload.js';
import { AlertWebhookError } from './errors/AlertWebhookError.js';

/** Options of {@link AlertWebhook}. */
export interface AlertWebhookOptions {
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * How long one post may take.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

/**
 * Posts alerts to a chat webhook (Slack incoming webhook, Teams connector or workflow, or any
 * endpoint that takes JSON). The URL is a credential: it is kept here and never logged.
 */
export class AlertWebhook {
  readonly #url: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(url: string, options: AlertWebhookOptions = {}) {
    const { fetch: fetchImpl = globalThis.fetch, timeoutMs = 10_000 } = options;
    this.#url = url;
    this.#fetch = fetchImpl;
    this.#timeoutMs = timeoutMs;
  }

  /** Posts `payload`; rejects with {@link AlertWebhookError} unless the webhook answers 2xx. */
  async post(payload: AlertWebhookPayload): Promise<void> {
    let response: Response;
    try {
      response = await this.#fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch {
      // The cause (a fetch error) names the URL, so it is not kept.
      throw new AlertWebhookError(undefined);
    }
    // Drain the body so the connection can be reused; its content is of no interest.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new AlertWebhookError(response.status);
  }
}
