import type { Store } from "./store.ts";

/** The error of a store that did not answer in time: classified as an outage (its code is ETIMEDOUT). */
export class StoreTimeoutError extends Error {
  override readonly name = "StoreTimeoutError";
  readonly code = "ETIMEDOUT";
}

/**
 * Asks the store one cheap question (a primary-key lookup that finds nothing) and resolves once it answers; throws
 * the store's error, or StoreTimeoutError after `timeoutMs`. Readiness uses it; it goes through the Store interface
 * so that both dialects answer it alike.
 */
export async function probeStore(store: Store, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreTimeoutError(`the store did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([store.getRun("readiness-probe"), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
