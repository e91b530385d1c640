import type { AppEndpoint, TestSealResponse } from '../../lib/runbooks/AppEndpoint.js';

/** {@link AppEndpoint} over HTTP; `baseUrl` includes the route prefix, e.g. `.../api`. */
export class HttpAppEndpoint implements AppEndpoint {
  readonly #baseUrl: string;

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async health(): Promise<number> {
    const response = await this.#fetch(`${this.#baseUrl}/health`);
    await response.body?.cancel();
    return response.status;
  }

  async seal(pdf: Uint8Array, functionKey: string): Promise<TestSealResponse> {
    const response = await this.#fetch(
      `${this.#baseUrl}/seal-pdf?reason=${encodeURIComponent('sealops recover test seal')}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/pdf', 'x-functions-key': functionKey },
        body: pdf,
      },
    );
    const body = new Uint8Array(await response.arrayBuffer());
    const keyId = response.headers.get('x-seal-key-id') ?? undefined;
    return {
      status: response.status,
      body: response.ok ? body : new Uint8Array(),
      ...(response.ok ? {} : errorCodeOf(body)),
      ...(keyId ? { keyId } : {}),
    };
  }

  async #fetch(url: string, init?: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause?.code;
      throw new Error(
        `Cannot reach ${new URL(url).origin}${typeof cause === 'string' ? ` (${cause})` : ''}.`,
        { cause: error },
      );
    }
  }
}

function errorCodeOf(body: Uint8Array): { errorCode?: string } {
  try {
    const { error } = JSON.parse(Buffer.from(body).toString('utf8')) as {
      error?: { code?: unknown };
    };
    return typeof error?.code === 'string' ? { errorCode: error.code } : {};
  } catch {
    return {};
  }
}
