import { getSweepPreset, proposeRandom } from "@sweeplab/core";
import type { PlotTrial } from "./plots.ts";

/**
 * Eight trials of the seed-mlp space as a finished sweep records them: seven with results and validation curves
 * (one pruned at step 500), one failed without a result.
 */
export function sweepTrials(): PlotTrial[] {
  const preset = getSweepPreset("seed-mlp");
  return Array.from({ length: 8 }, (_, index) => {
    const { params } = proposeRandom({ space: preset.space, base: preset.base, seed: 1, trialIndex: index });
    const final = 0.95 + 0.004 * index;
    const status = index === 7 ? "failed" : index === 3 ? "pruned" : "succeeded";
    const steps = status === "pruned" ? [250, 500] : status === "failed" ? [] : [250, 500, 750, 1000];
    return {
      index,
      params,
      value: status === "failed" ? null : final,
      status,
      curve: steps.map((step) => ({ step, value: final - 0.02 * (1 - step / 1000) })),
    };
  });
}
