// Runs: creation (idempotent), reads and listing, cancel and delete.
import type { RunStatus } from "@sweeplab/core";
import { count } from "drizzle-orm";
import { applyTransition } from "./apply-transition.ts";
import { cancelTransition } from "./lifecycle.ts";
import { checkSameRequest, countsByStatus, newRunRow, runById, runByKey, runListing } from "./queries.ts";
import { deleteWhere, first, insert, insertReturning, type Job, pick, select } from "./statements.ts";
import { type NewRun, type RunQuery, type RunRecord, StoreConflictError } from "./store.ts";

/** Inserts a queued run and its `queued` event; with a known idempotency key returns the existing run. */
export function* createRun(input: NewRun, now: number): Job<{ run: RunRecord; created: boolean }> {
  const [row] = yield* insertReturning("runs", newRunRow(input, now), {
    target: (t) => [t.runs.idempotencyKey],
  });
  if (!row) {
    // The key exists (perhaps inserted by a concurrent request that committed first).
    const existing = yield* first("runs", { where: runByKey(input.idempotencyKey!) });
    return { run: checkSameRequest(existing!, input), created: false };
  }
  for (const tag of new Set(input.tags)) yield* insert("runTags", { runId: row.id, tag });
  yield* applyTransition(row, { patch: {}, event: { type: "queued" } }, now);
  return { run: (yield* getRun(row.id))!, created: true };
}

/** A run, locked for the rest of the transaction where the dialect locks rows. */
export function lockRun(id: string): Job<RunRecord | undefined> {
  return first("runs", { where: runById(id), lock: "wait" });
}

export function getRun(id: string): Job<RunRecord | undefined> {
  return first("runs", { where: runById(id) });
}

/** The run created under an idempotency key, if any (admission lets a replay through a full queue). */
export function getRunByIdempotencyKey(key: string): Job<RunRecord | undefined> {
  return first("runs", { where: runByKey(key) });
}

export function listRuns(q: RunQuery): Job<RunRecord[]> {
  return select("runs", runListing(q));
}

export function* countRunsByStatus(): Job<Record<RunStatus, number>> {
  const rows = yield* pick("runs", (t) => ({ status: t.runs.status, n: count() }), {
    groupBy: (t) => [t.runs.status],
  });
  return countsByStatus(rows);
}

export function deleteRun(id: string): Job<void> {
  return deleteWhere("runs", runById(id));
}

export function* requestCancel(id: string, reason: string, now: number): Job<RunRecord> {
  const run = yield* lockRun(id);
  if (!run) throw new StoreConflictError("INVALID_TRANSITION", `no run ${id}`);
  yield* applyTransition(run, cancelTransition(run, reason, now), now);
  return (yield* getRun(id))!;
}
