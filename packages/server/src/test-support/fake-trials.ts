// Fake trials for sweep tests: a worker's writes without training. A trial run is claimed, then ends the way
// a worker ends it (an evaluation and `finished`, or `failed`, or `canceled`), through the store's lifecycle.
import { expect } from "vitest";
import type { RunRecord, Store } from "../store/store.ts";

const WORKER = { id: "fake-worker", host: "test" };
const owner = { owner: WORKER.id, leaseMs: 60_000 };

/** Takes a queued run for the fake worker. */
export async function claim(store: Store, runId: string): Promise<void> {
  expect((await store.claimQueuedRun(WORKER, runId, 60_000))?.id).toBe(runId);
}

/** Ends a queued or claimed run: succeeded with validation accuracy `value`, failed, or canceled at step 1. */
export async function endTrial(
  store: Store,
  run: Pick<RunRecord, "id" | "status">,
  end: { value: number } | "failed" | "canceled",
): Promise<void> {
  if (run.status === "queued") await claim(store, run.id);
  if (end === "failed") {
    await store.appendEvent(
      run.id,
      { type: "failed", step: 1, code: "INVALID_CONFIG", message: "bad" },
      owner,
    );
    return;
  }
  if (end === "canceled") {
    await store.appendEvent(run.id, { type: "canceled", step: 1, reason: "canceled by request" }, owner);
    return;
  }
  await store.appendEvent(
    run.id,
    {
      type: "eval",
      step: 1,
      learningRate: 0.001,
      trainLoss: 0.5,
      trainAccuracy: end.value,
      validationLoss: 0.5,
      validationAccuracy: end.value,
    },
    owner,
  );
  await store.appendEvent(
    run.id,
    {
      type: "finished",
      step: 1,
      testLoss: 0.5,
      testAccuracy: end.value,
      msPerStep: 1,
      trainSeconds: 0,
      wallSeconds: 0,
    },
    owner,
  );
}

/** The sweep's runs still queued (the ones a worker would take next). */
export const queuedRuns = async (store: Store, sweepId: string) =>
  (await store.sweepRuns(sweepId)).filter((r) => r.status === "queued");
