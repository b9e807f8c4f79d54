import { describe, expect, it } from "vitest";
import { nativeBindingFile } from "../backend/select.ts";
import { type BatchedTrainEvent, type TrainBatchedOptions, trainBatched } from "./batched.ts";
import type { RunConfigInput } from "./config.ts";
import type { Execution } from "./engine.ts";
import type { CheckpointEvent, TrainEvent } from "./events.ts";
import { collect, last } from "./train-fixtures.ts";

const missing = !nativeBindingFile("@tensorflow/tfjs-node")
  ? "the tensorflow binding is not built (pnpm install)"
  : undefined;

const stepLosses = (events: TrainEvent[]) => events.flatMap((e) => (e.type === "step" ? [e.loss] : []));

/** Largest relative difference between two equally long series. */
function worstRelative(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!) / Math.max(Math.abs(b[i]!), 1e-12)));
}

async function group(configs: RunConfigInput[], options: TrainBatchedOptions): Promise<TrainEvent[][]> {
  const byTrial = configs.map((): TrainEvent[] => []);
  for await (const { trialId, event } of trainBatched(configs, { backend: "tensorflow", ...options })) {
    byTrial[Number(trialId)]!.push(event);
  }
  return byTrial;
}

const BASE = { steps: 100, logEverySteps: 1, evalEverySteps: 100, validationSize: 1000 } as const;
const MLP = { kind: "mlp", depth: 2, width: 64, activation: "silu" } as const;

/** Three trials per case, each with its own seed, peak learning rate and weight decay (the group's differences). */
const CASES: [string, RunConfigInput[]][] = [
  [
    "MLP, AdamW with decoupled decay",
    [
      { ...BASE, model: MLP, seed: 1, optimizer: { kind: "adamw", learningRate: 1e-3 } },
      { ...BASE, model: MLP, seed: 2, optimizer: { kind: "adamw", learningRate: 3e-3, weightDecay: 0.05 } },
      { ...BASE, model: MLP, seed: 3, optimizer: { kind: "adamw", learningRate: 5e-4, weightDecay: 0.01 } },
    ],
  ],
  [
    "MLP, SGD with Nesterov momentum and L2 decay, ReLU",
    [1, 2, 3].map((seed) => ({
      ...BASE,
      model: { ...MLP, depth: 1, activation: "relu" },
      seed,
      optimizer: {
        kind: "sgd",
        nesterov: true,
        learningRate: [0.01, 0.03, 0.02][seed - 1],
        weightDecay: [0, 1e-3, 5e-4][seed - 1],
      },
    })),
  ],
  [
    "CNN, AdamW, SiLU",
    [1, 2].map((seed) => ({
      ...BASE,
      batchSize: 32,
      model: { kind: "cnn", channels: [4, 8], denseWidth: 16, activation: "silu" },
      seed,
      optimizer: { kind: "adamw", learningRate: [5e-4, 1e-3][seed - 1], weightDecay: 0.01 * (seed - 1) },
    })),
  ],
];

describe.skipIf(missing)(`batched trials as one graph${missing ? ` (skipped: ${missing})` : ""}`, () => {
  for (const [label, configs] of CASES) {
    it(`${label}: each trial's loss at each of the first 100 steps within 1e-4 of the eager group's and of its own graph run`, async () => {
      const run = (execution: Execution) => group(configs, { execution });
      const graph = await run("graph");
      const eager = await run("eager");
      for (const [k, config] of configs.entries()) {
        expect(graph[k]![0]).toMatchObject({ type: "started", backend: { execution: "graph" } });
        expect(eager[k]![0]).toMatchObject({ type: "started", backend: { execution: "eager" } });
        expect(stepLosses(graph[k]!)).toHaveLength(100);
        expect(worstRelative(stepLosses(graph[k]!), stepLosses(eager[k]!))).toBeLessThan(1e-4);
        const alone = await collect(config, { backend: "tensorflow", execution: "graph" });
        expect(worstRelative(stepLosses(graph[k]!), stepLosses(alone))).toBeLessThan(1e-4);
        const g = last(graph[k]!, "finished")!;
        const a = last(alone, "finished")!;
        expect(Math.abs(g.testLoss - a.testLoss) / a.testLoss).toBeLessThan(1e-3);
        expect(Math.abs(g.testAccuracy - a.testAccuracy)).toBeLessThanOrEqual(0.002);
        expect(g.weights.map((w) => [w.name, w.shape])).toEqual(a.weights.map((w) => [w.name, w.shape]));
      }
    });
  }

  it("a trial's checkpoint from the graph group resumes alone (train()) to the group's losses", async () => {
    const configs = CASES[0]![1].map((c) => ({ ...c, steps: 60, evalEverySteps: 60 }));
    const [, second] = await group(configs, { execution: "graph", checkpointEverySteps: 30 });
    const checkpoint = second!.find((e): e is CheckpointEvent => e.type === "checkpoint")!;
    expect(checkpoint.step).toBe(30);
    expect(checkpoint.checkpoint.optimizerIterations).toBe(30);
    const resumed = await collect(configs[1]!, {
      backend: "tensorflow",
      execution: "graph",
      resumeFrom: checkpoint.checkpoint,
    });
    const after = (events: TrainEvent[]) =>
      events.flatMap((e) => (e.type === "step" && e.step > 30 ? [e.loss] : []));
    expect(after(resumed)).toHaveLength(30);
    expect(worstRelative(after(resumed), after(second!))).toBeLessThan(1e-4);
  });

  it("a trial dropped from the group (aborted) leaves the others' losses as an uninterrupted group's", async () => {
    const configs = CASES[0]![1].map((c) => ({ ...c, steps: 60, evalEverySteps: 60 }));
    const whole = await group(configs, { execution: "graph" });
    const abort = new AbortController();
    const byTrial = configs.map((): TrainEvent[] => []);
    const options: TrainBatchedOptions = {
      backend: "tensorflow",
      execution: "graph",
      signals: [undefined, abort.signal],
    };
    for await (const { trialId, event } of trainBatched(configs, options)) {
      byTrial[Number(trialId)]!.push(event);
      if (trialId === "1" && event.type === "step" && event.step === 20) abort.abort();
    }
    expect(byTrial[1]!.at(-1)).toMatchObject({ type: "failed", code: "ABORTED", step: 20 });
    for (const k of [0, 2]) {
      expect(last(byTrial[k]!, "finished")!.step).toBe(60);
      expect(worstRelative(stepLosses(byTrial[k]!), stepLosses(whole[k]!))).toBeLessThan(1e-5);
    }
  });

  it("a forced graph execution where graphs cannot run fails every trial, with no fallback to eager", async () => {
    const configs = CASES[0]![1].slice(0, 2);
    const events: BatchedTrainEvent[] = [];
    for await (const e of trainBatched(configs, { backend: "wasm", execution: "graph" })) events.push(e);
    expect(events.map((e) => [e.trialId, e.event.type])).toEqual([
      ["0", "failed"],
      ["1", "failed"],
    ]);
    expect(events[0]!.event).toMatchObject({ code: "BACKEND_UNAVAILABLE", message: /graph execution/ });
  });
});
