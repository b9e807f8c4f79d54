import type { Context } from "hono";
import type { AppEnv } from "./app-types.ts";
import type { Logger } from "./log.ts";
import { problemResponse } from "./problem.ts";
import { classifyStoreError, rootMessage, STORE_RETRY_AFTER_S } from "./store/errors.ts";

/**
 * The problem for a request that failed on the store's side, or undefined when the error is not a store fault:
 * 503 STORE_UNAVAILABLE with Retry-After while the store cannot be reached (an outage is temporary and not the
 * client's doing), 507 STORAGE_FULL when the disk under it is full. The driver's words go to the log only.
 */
export function storeFaultProblem(c: Context<AppEnv>, error: unknown, location: string, log: Logger) {
  const fault = classifyStoreError(error);
  if (!fault) return undefined;
  log.warn({ requestId: c.get("requestId"), fault, cause: rootMessage(error) }, "store fault");
  if (fault === "unavailable") {
    c.header("Retry-After", String(STORE_RETRY_AFTER_S));
    return problemResponse(
      c,
      503,
      "STORE_UNAVAILABLE",
      `the store (${location}) cannot be reached; retry in ${STORE_RETRY_AFTER_S} s`,
    );
  }
  return problemResponse(
    c,
    507,
    "STORAGE_FULL",
    `the store (${location}) cannot write: its disk is full; free space there, then retry`,
  );
}
