import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../backend/select.ts";
import { tinyDatasetFiles } from "../data/idx-fixtures.ts";
import type { Execution } from "./engine.ts";
import type { CheckpointEvent } from "./events.ts";
import { collect, last, SMALL_MLP } from "./train-fixtures.ts";

/** The training behaviour every backend must show; each backend's test file calls this with its name. */
export function describeTrainingOn(backend: BackendName, execution?: Execution) {
  describe(`train() on ${backend}${execution ? ` (${execution})` : ""}`, () => {
    it("learns MNIST: loss falls and test accuracy passes 85 %", async () => {
      const events = await collect(SMALL_MLP, { backend, execution });
      const started = events[0];
      expect(started).toMatchObject({ type: "started", backend: { name: backend } });
      const steps = events.filter((e) => e.type === "step");
      expect(steps.map((s) => s.step)).toEqual([50, 100, 150, 200, 250, 300]);
      expect(steps.at(-1)!.loss).toBeLessThan(steps[0]!.loss);
      const evals = events.filter((e) => e.type === "eval");
      expect(evals.map((e) => e.step)).toEqual([150, 300]);
      const finished = last(events, "finished")!;
      expect(finished.testAccuracy).toBeGreaterThan(0.85);
      expect(finished.evaluation.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(10000);
    });

    it("keeps the live tensor count flat from step 100 to step 1000", async () => {
      const events = await collect(
        { ...SMALL_MLP, steps: 1000, logEverySteps: 100, evalEverySteps: 500 },
        { backend, execution },
      );
      const tensorsAt = (n: number) =>
        events.find((e) => e.type === "step" && e.step === n) as { liveTensors: number };
      expect(tensorsAt(1000).liveTensors).toBe(tensorsAt(100).liveTensors);
    });

    it("trains the default CNN with batch norm and dropout: no missing kernel", async () => {
      // Every kernel of the CNN's forward and backward pass runs; a tiny generated dataset keeps evaluation cheap.
      const folder = mkdtempSync(join(tmpdir(), "tiny-idx-"));
      for (const [name, bytes] of Object.entries(tinyDatasetFiles({ train: 400, test: 100 }))) {
        writeFileSync(join(folder, name), bytes);
      }
      const events = await collect(
        {
          dataset: { kind: "folder", path: folder },
          model: { kind: "cnn", batchNorm: true, dropout: 0.25 },
          batchSize: 16,
          steps: 6,
          logEverySteps: 3,
          evalEverySteps: 6,
          validationSize: 100,
          augment: true,
        },
        { backend, execution },
      );
      expect(events.at(-1)).toMatchObject({ type: "finished", step: 6 });
    });

    it("resumes from a checkpoint to exactly the weights of an uninterrupted run", async () => {
      const config = {
        ...SMALL_MLP,
        steps: 60,
        evalEverySteps: 60,
        model: { kind: "mlp", depth: 1, width: 32, dropout: 0.1 },
      } as const;
      const whole = last(await collect(config, { backend, execution }), "finished")!;
      const interrupted = await collect(config, { backend, execution, checkpointEverySteps: 25 });
      const checkpoint = interrupted.find(
        (e): e is CheckpointEvent => e.type === "checkpoint" && e.step === 50,
      )!;
      const resumed = await collect(config, { backend, execution, resumeFrom: checkpoint.checkpoint });
      expect(resumed[0]).toMatchObject({ type: "started", resumedFromStep: 50 });
      const finished = last(resumed, "finished")!;
      expect(finished.step).toBe(60);
      const values = (weights: typeof whole.weights) => weights.flatMap((w) => Array.from(w.values));
      const a = values(finished.weights);
      const b = values(whole.weights);
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-5);
    });
  });
}
