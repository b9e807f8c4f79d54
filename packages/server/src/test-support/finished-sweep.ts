// A small sweep that ran to its end, written through the store as workers write one (claim, started, steps,
// evaluations, the end): 3 grid points x 2 repeats, one repeat failed, each run with its metrics and events.
import type { RunConfig } from "@sweeplab/core";
import type { Store } from "../store/store.ts";
import type { SweepScheduler } from "../sweeps/scheduler.ts";
import { testSweepSpec } from "./sweep-spec.ts";

const WORKER = { id: "w-fixture", host: "fixture-host" };
const LEASE = { owner: WORKER.id, leaseMs: 60_000 };

/** Trains one queued run on paper: two logged steps, two evaluations, then its end. */
export async function trainOnPaper(store: Store, runId: string, outcome: "finished" | "failed") {
  const run = await store.claimQueuedRun(WORKER, runId, 60_000);
  if (!run) throw new Error(`fixture: ${runId} was not claimable`);
  const config = run.config as RunConfig;
  // Accuracy rises with the batch size and moves a little with the seed, so ranks and noise are both real.
  const accuracy = 0.9 + config.batchSize / 1000 + config.seed * 0.003;
  await store.appendEvent(
    runId,
    {
      type: "started",
      dataset: { name: "mnist", rows: 28, columns: 28, classes: 10, mean: 0.13, std: 0.31 },
      config,
      backend: { name: "tensorflow", devices: ["CPU: fixture"], tfjsVersion: "4.22.0", threads: "1" },
      versions: { core: "0.1.0", tfjs: "4.22.0", node: "20.19.0" },
      parameterCount: 101_770,
      trainExamples: 1000,
      validationExamples: 200,
    },
    LEASE,
  );
  for (const step of [10, 20]) {
    await store.appendEvent(
      runId,
      {
        type: "step",
        step,
        loss: 1 / step,
        learningRate: 0.001,
        msPerStep: 2.5,
        examplesPerSecond: 1000,
        liveTensors: 12,
      },
      LEASE,
    );
    await store.appendEvent(
      runId,
      {
        type: "eval",
        step,
        trainLoss: 1 / step,
        trainAccuracy: accuracy,
        validationLoss: 1.1 / step,
        validationAccuracy: accuracy - (20 - step) / 100,
        learningRate: 0.001,
      },
      LEASE,
    );
  }
  if (outcome === "failed") {
    await store.appendEvent(runId, { type: "failed", step: 20, code: "INTERNAL", message: "fixture" }, LEASE);
    return;
  }
  await store.appendEvent(
    runId,
    {
      type: "finished",
      step: 20,
      testLoss: 0.05,
      testAccuracy: accuracy,
      msPerStep: 2.5,
      trainSeconds: 0.05,
      wallSeconds: 0.2,
    },
    {
      ...LEASE,
      extras: {
        evaluation: {
          loss: 0.05,
          accuracy,
          confusionMatrix: [
            [9, 1],
            [0, 10],
          ],
          perClassAccuracy: [0.9, 1],
        },
      },
    },
  );
}

/** The sweep `id`, ended: every trial proposed by the scheduler and trained on paper (trial 2's repeat 1 fails). */
export async function createFinishedSweep(store: Store, scheduler: SweepScheduler, id: string) {
  await store.createSweep({
    id,
    name: "shared sweep",
    spec: testSweepSpec({ trials: 3, repeats: 2, parallelism: 3 }),
  });
  await scheduler.tick();
  for (const run of await store.sweepRuns(id)) {
    const failed = run.trialIndex === 2 && run.repeatIndex === 1;
    await trainOnPaper(store, run.id, failed ? "failed" : "finished");
  }
  await scheduler.tick();
  const sweep = await store.getSweep(id);
  if (sweep?.status !== "succeeded") throw new Error(`fixture: sweep ${id} is ${sweep?.status}`);
  return sweep;
}
