import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../backend/select.ts";
import { tinyDatasetFiles } from "../data/idx-fixtures.ts";
import { type BatchedTrainEvent, trainBatched } from "./batched.ts";
import type { RunConfigInput } from "./config.ts";
import type { Execution } from "./engine.ts";
import type { TrainEvent } from "./events.ts";
import { collect, last } from "./train-fixtures.ts";

/** Three trials of one small MLP: their own seeds, peak learning rates and weight decays. */
const BASE = {
  model: { kind: "mlp", depth: 2, width: 64, activation: "silu" },
  batchSize: 64,
  steps: 120,
  logEverySteps: 40,
  evalEverySteps: 60,
  validationSize: 1000,
} as const satisfies RunConfigInput;
const TRIALS: RunConfigInput[] = [
  { ...BASE, seed: 1, optimizer: { kind: "adamw", learningRate: 1e-3 } },
  { ...BASE, seed: 2, optimizer: { kind: "adamw", learningRate: 3e-3, weightDecay: 0.05 } },
  { ...BASE, seed: 3, optimizer: { kind: "adamw", learningRate: 5e-4, weightDecay: 0.01 } },
];

async function collectGroup(
  configs: RunConfigInput[],
  options: Parameters<typeof trainBatched>[1],
): Promise<Map<string, TrainEvent[]>> {
  const byTrial = new Map<string, TrainEvent[]>();
  for await (const { trialId, event } of trainBatched(configs, options) as AsyncIterable<BatchedTrainEvent>) {
    byTrial.set(trialId, [...(byTrial.get(trialId) ?? []), event]);
  }
  return byTrial;
}

/** The figures a trial reports, in order: step losses, then eval and test losses and accuracies. */
function figures(events: TrainEvent[]): number[] {
  return events.flatMap((e) => {
    if (e.type === "step") return [e.loss, e.learningRate];
    if (e.type === "eval")
      return [e.trainLoss, e.trainAccuracy, e.validationLoss ?? 0, e.validationAccuracy ?? 0];
    if (e.type === "finished") return [e.testLoss, e.testAccuracy];
    return [];
  });
}

/** Generous: the wasm backend trains each of these tests' runs twice, batched and alone, on one thread. */
const TIMEOUT_MS = 400_000;

/**
 * The batched trainer's behaviour on each backend; each backend's test file calls this with its name (and, on the
 * native backends, once per execution path). Trials trained alone run train()'s default path.
 */
export function describeBatchedTrainingOn(backend: BackendName, execution?: Execution) {
  const collectBatched = (configs: RunConfigInput[], options: Parameters<typeof trainBatched>[1]) =>
    collectGroup(configs, { ...options, execution });
  describe(`trainBatched() on ${backend}${execution ? `, ${execution} execution` : ""}`, () => {
    it(
      "reproduces three trials trained one by one with train(): same losses and accuracies",
      async () => {
        const batched = await collectBatched(TRIALS, { backend, trialIds: ["a", "b", "c"] });
        for (const [i, id] of ["a", "b", "c"].entries()) {
          const alone = await collect(TRIALS[i]!, { backend });
          const together = batched.get(id)!;
          expect(together.map((e) => e.type)).toEqual(alone.map((e) => e.type));
          expect(together[0]).toMatchObject({
            type: "started",
            config: { seed: i + 1 },
            backend: { name: backend, ...(execution ? { execution } : {}) },
          });
          const a = figures(alone);
          const b = figures(together);
          expect(b).toHaveLength(a.length);
          for (const [j, value] of a.entries()) expect(Math.abs(b[j]! - value)).toBeLessThan(1e-4);
          const weightsAlone = last(alone, "finished")!.weights.flatMap((w) => Array.from(w.values));
          const weightsTogether = last(together, "finished")!.weights.flatMap((w) => Array.from(w.values));
          expect(Math.max(...weightsAlone.map((v, j) => Math.abs(v - weightsTogether[j]!)))).toBeLessThan(
            1e-4,
          );
        }
      },
      TIMEOUT_MS,
    );

    it(
      "ends a diverging trial with NON_FINITE_LOSS and an aborted one with ABORTED; the others finish",
      async () => {
        const abort = new AbortController();
        // Decoupled decay of 1 - 900 * 1 per step: the weights overflow within a few dozen steps.
        const diverging = {
          ...TRIALS[1]!,
          optimizer: { kind: "adamw", learningRate: 900, weightDecay: 1 },
        } as const;
        const options = { backend, execution, signals: [undefined, undefined, abort.signal] };
        const events = new Map<string, TrainEvent[]>();
        for await (const { trialId, event } of trainBatched([TRIALS[0]!, diverging, TRIALS[2]!], options)) {
          events.set(trialId, [...(events.get(trialId) ?? []), event]);
          if (trialId === "2" && event.type === "step" && event.step === 40) abort.abort();
        }
        expect(events.get("1")!.at(-1)).toMatchObject({ type: "failed", code: "NON_FINITE_LOSS" });
        expect(events.get("2")!.at(-1)).toMatchObject({ type: "failed", code: "ABORTED", step: 40 });
        const survivor = events.get("0")!;
        expect(survivor.at(-1)).toMatchObject({ type: "finished", step: 120 });
        // Dropping the other two from the stack changed nothing for the survivor.
        const alone = await collect(TRIALS[0]!, { backend });
        expect(
          Math.abs(last(survivor, "finished")!.testLoss - last(alone, "finished")!.testLoss),
        ).toBeLessThan(1e-4);
      },
      TIMEOUT_MS,
    );

    it(
      "ends a collapsed trial DIVERGED at the same step as train() alone; the other trains on unchanged",
      async () => {
        // SGD momentum 0.9 at lr 2 sends this ReLU MLP to a constant prediction (train.test.ts); lr 0.05 trains.
        const base = {
          model: { kind: "mlp", depth: 1, width: 32, activation: "relu" },
          batchSize: 64,
          steps: 300,
          logEverySteps: 50,
          evalEverySteps: 150,
          validationSize: 1000,
        } as const satisfies RunConfigInput;
        const trials: RunConfigInput[] = [
          { ...base, seed: 7, optimizer: { kind: "sgd", learningRate: 0.05, momentum: 0.9 } },
          { ...base, seed: 8, optimizer: { kind: "sgd", learningRate: 2, momentum: 0.9 } },
        ];
        const batched = await collectBatched(trials, { backend, trialIds: ["ok", "collapsed"] });
        const collapsed = batched.get("collapsed")!;
        expect(collapsed.map((e) => e.type)).toEqual(["started", "step", "step", "step", "eval", "failed"]);
        expect(collapsed.at(-1)).toMatchObject({
          type: "failed",
          step: 150,
          code: "DIVERGED",
          message: expect.stringMatching(
            /^training loss 2\.\d{3} at step 150 has not fallen below 2\.0\d{2} /,
          ),
        });
        const collapsedAlone = await collect(trials[1]!, { backend });
        expect(collapsedAlone.at(-1)).toMatchObject({ type: "failed", step: 150, code: "DIVERGED" });

        const survivor = batched.get("ok")!;
        const alone = await collect(trials[0]!, { backend });
        expect(survivor.map((e) => e.type)).toEqual(alone.map((e) => e.type));
        expect(survivor.at(-1)).toMatchObject({ type: "finished", step: 300 });
        const a = figures(alone);
        const b = figures(survivor);
        for (const [j, value] of a.entries()) expect(Math.abs(b[j]! - value)).toBeLessThan(1e-4);
      },
      TIMEOUT_MS,
    );

    it(
      "reproduces two small CNN trials trained one by one",
      async () => {
        const folder = mkdtempSync(join(tmpdir(), "tiny-idx-"));
        for (const [name, bytes] of Object.entries(tinyDatasetFiles({ train: 400, test: 100 }))) {
          writeFileSync(join(folder, name), bytes);
        }
        const base: RunConfigInput = {
          dataset: { kind: "folder", path: folder },
          model: { kind: "cnn", channels: [4, 8], denseWidth: 16 },
          batchSize: 16,
          steps: 8,
          logEverySteps: 4,
          evalEverySteps: 8,
          validationSize: 100,
        };
        const trials: RunConfigInput[] = [
          { ...base, seed: 4, optimizer: { kind: "adamw", learningRate: 2e-3 } },
          { ...base, seed: 5, optimizer: { kind: "adamw", learningRate: 5e-4, weightDecay: 0.1 } },
        ];
        const batched = await collectBatched(trials, { backend });
        for (const [i, config] of trials.entries()) {
          const alone = figures(await collect(config, { backend }));
          const together = figures(batched.get(String(i))!);
          expect(together).toHaveLength(alone.length);
          for (const [j, value] of alone.entries()) expect(Math.abs(together[j]! - value)).toBeLessThan(1e-4);
        }
      },
      TIMEOUT_MS,
    );

    it(
      "refuses a trial that cannot share the group, and trains the rest",
      async () => {
        const other = { ...TRIALS[1]!, batchSize: 32 };
        const events = await collectBatched([TRIALS[0]!, other], { backend, trialIds: ["x", "y"] });
        expect(events.get("y")).toEqual([
          expect.objectContaining({
            type: "failed",
            code: "INVALID_CONFIG",
            message: expect.stringMatching(/batchSize/),
          }),
        ]);
        expect(events.get("x")!.at(-1)).toMatchObject({ type: "finished" });
      },
      TIMEOUT_MS,
    );
  });
}
