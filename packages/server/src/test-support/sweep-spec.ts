import type { SweepSpec } from "../sweeps/sweep-spec.ts";

/** A small grid sweep's spec (batch size 16, 32 or 64; 20 steps), for tests; `over` replaces what it names. */
export const testSweepSpec = (over: Partial<SweepSpec> = {}): SweepSpec => ({
  preset: null,
  base: { steps: 20 },
  space: { parameters: [{ name: "batch", path: "batchSize", type: "categorical", values: [16, 32, 64] }] },
  method: "grid",
  tpe: {},
  trials: 2,
  parallelism: 1,
  seed: 0,
  repeats: 1,
  earlyStopping: null,
  metric: "validationAccuracy",
  direction: "maximize",
  maxConsecutiveFailures: 5,
  ...over,
});
