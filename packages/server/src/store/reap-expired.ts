// The expired-lease reaper, used by the API on a timer and by every worker before it claims: runs whose worker
// stopped renewing its lease go back to the queue (or fail after their last attempt, or end canceled).
import type { Logger } from "../log.ts";
import type { Store } from "./store.ts";

/** Requeues the runs whose lease expired and logs which ones; returns their ids. */
export async function reapExpiredLeases(store: Store, maxAttempts: number, log: Logger): Promise<string[]> {
  const ids = await store.requeueExpired(maxAttempts);
  if (ids.length > 0) log.warn({ runIds: ids }, "requeued runs whose worker stopped answering");
  return ids;
}
