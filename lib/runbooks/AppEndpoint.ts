/** What a seal request through the app's public route returned. */
export interface TestSealResponse {
  readonly status: number;
  /** The sealed PDF on 200, empty otherwise. */
  readonly body: Uint8Array;
  /** The `error.code` of an error body, when there is one. */
  readonly errorCode?: string;
  /** `x-seal-key-id`: the signing key ID that sealed it. */
  readonly keyId?: string;
}

/**
 * The app as a caller sees it, over HTTP: its health route and seal-pdf. Used by `recover` to prove
 * the app works again, from outside, through access restrictions and function keys.
 */
export interface AppEndpoint {
  /** The status `GET /api/health` answers. */
  health(): Promise<number>;
  seal(pdf: Uint8Array, functionKey: string): Promise<TestSealResponse>;
}
