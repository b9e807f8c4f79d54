import type { AppDeps } from "../../app-types.ts";

/** How long a full disk seen by a write stays on the status: someone may have freed space since. */
export const STORAGE_PROBLEM_MS = 10 * 60_000;

/**
 * Why the store could not write lately, for the status: a write of this API that failed for a full disk, or a run
 * that a worker (on any host) failed with STORAGE_FULL, within the last ten minutes; undefined otherwise. It says
 * when, as the disk may have been cleared since.
 */
export async function storageProblem(deps: AppDeps, now = Date.now()): Promise<string | undefined> {
  const since = now - STORAGE_PROBLEM_MS;
  const seen = deps.outages.lastFull;
  const failed = (await deps.store.listRuns({ status: "failed", sort: "created", limit: 20 })).find(
    (r) => r.errorCode === "STORAGE_FULL" && (r.finishedAt ?? 0) >= since,
  );
  const latest =
    seen && seen.at >= since && (!failed || seen.at >= (failed.finishedAt ?? 0))
      ? { at: seen.at, message: `a write failed: ${seen.message}` }
      : failed
        ? { at: failed.finishedAt ?? now, message: `run ${failed.id} failed: ${failed.errorMessage ?? ""}` }
        : undefined;
  if (!latest) return undefined;
  return `the disk holding the store (${deps.store.location}) was full at ${new Date(latest.at).toISOString()}; ${latest.message}`;
}
