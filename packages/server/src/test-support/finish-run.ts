import type { RunEvent } from "@sweeplab/core";
import type { Store } from "../store/store.ts";

/** What a fake trial run reports: its last evaluation's accuracy and its time per step. */
export interface FakeResult {
  validationAccuracy: number;
  msPerStep: number;
}

/**
 * Trains a queued run the fast way, as a worker would report it: claimed, one evaluation, then `finished` with the
 * time per step (its parameter count and memory then come from its config's estimate). No TensorFlow, no data.
 */
export async function finishRun(store: Store, runId: string, result: FakeResult): Promise<void> {
  const claimed = await store.claimQueuedRun({ id: "fake", host: "test" }, runId, 60_000);
  if (!claimed) throw new Error(`run ${runId} could not be claimed`);
  const owner = { owner: "fake", leaseMs: 60_000 };
  const events: RunEvent[] = [
    {
      type: "eval",
      step: 20,
      learningRate: 0.001,
      trainLoss: 0.1,
      trainAccuracy: result.validationAccuracy,
      validationLoss: 1 - result.validationAccuracy,
      validationAccuracy: result.validationAccuracy,
    },
    {
      type: "finished",
      step: 20,
      testLoss: 0.1,
      testAccuracy: result.validationAccuracy,
      msPerStep: result.msPerStep,
      trainSeconds: 1,
      wallSeconds: 1,
    },
  ];
  for (const event of events) await store.appendEvent(runId, event, owner);
}
