// A large sweep written straight into a store, for the stream benchmark and the fuzz flow: `runs` trial runs (one
// repeat each), the first `ended` of them canceled, the rest queued. Its spec asks for exactly those trials, so the
// scheduler proposes nothing more; with no worker the queued ones stay queued.
import { parseRunConfig } from "@sweeplab/core";
import { newRunId } from "../runs/run-service.ts";
import type { Store } from "../store/store.ts";
import type { SweepSpec } from "./sweep-spec.ts";

export async function createSweepFixture(
  store: Store,
  options: { id: string; runs: number; ended: number },
): Promise<{ sweepId: string; runIds: string[] }> {
  const values = [16, 32, 64, 128];
  const spec: SweepSpec = {
    preset: null,
    base: { steps: 20 },
    space: { parameters: [{ name: "batch", path: "batchSize", type: "categorical", values }] },
    method: "random",
    tpe: {},
    trials: options.runs,
    parallelism: options.runs,
    seed: 0,
    repeats: 1,
    earlyStopping: null,
    metric: "validationAccuracy",
    direction: "maximize",
    maxConsecutiveFailures: 5,
  };
  await store.createSweep({ id: options.id, name: "fixture", spec });
  const runIds: string[] = [];
  for (let trialIndex = 0; trialIndex < options.runs; trialIndex++) {
    const batch = values[trialIndex % values.length]!;
    const config = parseRunConfig({ steps: 20, batchSize: batch });
    const { run } = await store.createRun({
      id: newRunId(),
      name: `fixture #${trialIndex}`,
      tags: ["sweep"],
      config,
      totalSteps: config.steps,
      sweep: { sweepId: options.id, trialIndex, repeatIndex: 0, trial: { params: { batch }, history: [] } },
    });
    runIds.push(run.id);
    if (trialIndex < options.ended) await store.requestCancel(run.id, "fixture");
  }
  return { sweepId: options.id, runIds };
}
