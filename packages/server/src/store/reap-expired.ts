// The expired-lease reaper, used by the API on a timer and by every worker before it claims: runs whose worker
// stopped renewing its lease go back to the queue (or fail after their last attempt, or end canceled).
import type { Logger } from "../log.ts";
import type { OutageWatch } from "./outages.ts";
import type { Store } from "./store.ts";

/**
 * Requeues the runs whose lease expired and logs which ones; returns their ids. With an outage watch, nothing is
 * judged while this process saw the store unreachable within its grace period (no outage is charged to a run).
 */
export async function reapExpiredLeases(
  store: Store,
  maxAttempts: number,
  log: Logger,
  outages?: OutageWatch,
): Promise<string[]> {
  if (outages && !outages.mayJudgeLeases) return [];
  const ids = await store.requeueExpired(maxAttempts);
  if (ids.length > 0) log.warn({ runIds: ids }, "requeued runs whose worker stopped answering");
  return ids;
}
