import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../data/random.ts";
import { buildModel } from "../../models/build.ts";
import type { ModelSpecInput } from "../../models/spec.ts";
import { ModelSpecSchema } from "../../models/spec.ts";
import { OptimizerSpecSchema } from "../../optim/spec.ts";
import { nativeBindingFile, prepareBackend } from "../select.ts";
import { loadGraphAddon } from "./addon.ts";
import type { BatchedLayout } from "./batched-model-graph.ts";
import { BatchedGraphTrainer } from "./batched-trainer.ts";

type OptimizerSpecInput = Parameters<typeof OptimizerSpecSchema.parse>[0];

const missing = !nativeBindingFile("@tensorflow/tfjs-node")
  ? "the tensorflow binding is not built (pnpm install)"
  : undefined;

const SHAPE = { rows: 10, columns: 10, classes: 4 };
const TRIALS = 3;
const BATCH = 16;
const COUNT = 120;

/** K trials' stacked initial weights from core's model builders, and a table of random images. */
function fixture(model: ModelSpecInput) {
  const spec = ModelSpecSchema.parse(model);
  const models = [1, 2, 3].map((seed) => buildModel(spec, { ...SHAPE, seed }));
  const parameters = models[0]!.parameters.map((p, j) => {
    const rows = models.map((m) => m.parameters[j]!.variable.dataSync() as Float32Array);
    const values = new Float32Array(rows.length * rows[0]!.length);
    for (const [k, row] of rows.entries()) values.set(row, k * row.length);
    return { name: p.name, shape: [TRIALS, ...p.variable.shape], values, isBiasLike: p.isBiasLike };
  });
  for (const m of models) m.dispose();
  const random = new SeededRandom(7);
  const size = SHAPE.rows * SHAPE.columns;
  const pixels = Uint8Array.from({ length: COUNT * size }, () => Math.floor(random.next() * 256));
  const labels = Int32Array.from({ length: COUNT }, () => Math.floor(random.next() * SHAPE.classes));
  return { spec, parameters, table: { pixels, labels, count: COUNT }, random };
}

describe.skipIf(missing)(`the batched graph's layouts${missing ? ` (skipped: ${missing})` : ""}`, () => {
  for (const [label, model, optimizer] of [
    [
      "MLP, AdamW",
      { kind: "mlp", depth: 2, width: 16, activation: "silu" },
      { kind: "adamw", weightDecay: 0.1 },
    ],
    [
      "CNN, SGD momentum",
      { kind: "cnn", channels: [2, 3], denseWidth: 8 },
      { kind: "sgd", weightDecay: 1e-3 },
    ],
  ] as [string, ModelSpecInput, OptimizerSpecInput][]) {
    it(`${label}: per-trial (interleaved or trial after trial) and stacked forward passes train to the same losses, weights and evaluations`, async () => {
      await prepareBackend({ backend: "tensorflow" });
      const { addon } = loadGraphAddon();
      const { spec, parameters, table, random } = fixture(model);
      const make = (layout: BatchedLayout, trialAfterTrial = false) =>
        new BatchedGraphTrainer(addon!, {
          model: spec,
          optimizer: OptimizerSpecSchema.parse(optimizer),
          shape: SHAPE,
          trials: TRIALS,
          table,
          parameters,
          weightDecays: [0, 0.1, 0.05],
          layout,
          trialAfterTrial,
        });
      const perTrial = make("per-trial");
      const serial = make("per-trial", true);
      const stacked = make("stacked");
      const normalisation = { scale: [1 / 255, 1 / 128, 1 / 64], shift: [0.5, 1, 2] };
      try {
        for (let step = 1; step <= 20; step++) {
          const indices = Int32Array.from({ length: TRIALS * BATCH }, () =>
            Math.floor(random.next() * COUNT),
          );
          const rates = [0.01, 0.003, 0.03];
          const a = perTrial.step(indices, normalisation, step, rates);
          const b = stacked.step(indices, normalisation, step, rates);
          const c = serial.step(indices, normalisation, step, rates);
          expect(a).toHaveLength(TRIALS);
          for (let k = 0; k < TRIALS; k++) {
            expect(Math.abs(a[k]! - b[k]!) / a[k]!).toBeLessThan(1e-5);
            expect(c[k]).toBe(a[k]);
          }
        }
        const rows = [0, 1, 2].map((k) => Int32Array.from({ length: 50 }, (_, i) => (i * 7 + k) % COUNT));
        const ea = perTrial.evaluate(rows, normalisation, true);
        const eb = stacked.evaluate(rows, normalisation, true);
        expect(Array.from(eb.correct)).toEqual(Array.from(ea.correct));
        for (let k = 0; k < TRIALS; k++) {
          expect(Math.abs(ea.lossSums[k]! - eb.lossSums[k]!) / ea.lossSums[k]!).toBeLessThan(1e-5);
        }
        const wa = perTrial.read();
        const wb = stacked.read();
        expect(wb.slots.map((s) => [s.name, s.shape])).toEqual(wa.slots.map((s) => [s.name, s.shape]));
        for (const [j, p] of wa.parameters.entries()) {
          expect(wb.parameters[j]!.name).toBe(p.name);
          const worst = Math.max(...p.values.map((v, i) => Math.abs(v - wb.parameters[j]!.values[i]!)));
          expect(worst).toBeLessThan(1e-5);
        }
      } finally {
        perTrial.close();
        serial.close();
        stacked.close();
      }
    });
  }
});
