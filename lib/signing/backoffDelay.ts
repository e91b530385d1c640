/**
 * The wait before retry number `attempt` (from 1): exponential from `baseMs`, capped at 16 times
 * it, with jitter spreading each wait over its upper half so that callers that failed together do
 * not retry together.
 */
export function backoffDelay(baseMs: number, attempt: number): number {
  const ceiling = baseMs * 2 ** Math.min(attempt - 1, 4);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
