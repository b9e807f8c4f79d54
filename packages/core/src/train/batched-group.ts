import { stackingUnsupported } from "../models/stacked.ts";
import type { RunConfig } from "./config.ts";

/**
 * What trials must share to train as one batched group: everything but the seed, the peak learning rate and the
 * weight decay (the schedule's shape is shared; each trial scales it by its own peak).
 */
export function batchGroupKey(config: RunConfig): string {
  const { seed: _seed, optimizer, ...shared } = config;
  const { learningRate: _lr, weightDecay: _wd, ...sharedOptimizer } = optimizer;
  return JSON.stringify({ ...shared, optimizer: sharedOptimizer });
}

/** Why this config cannot join a group led by `leader`, or undefined when it can. */
export function batchGroupMismatch(leader: RunConfig, config: RunConfig): string | undefined {
  const unsupported = stackingUnsupported(config.model);
  if (unsupported) return unsupported;
  if (config.augment) return "batched training does not support augmentation yet";
  if (batchGroupKey(leader) === batchGroupKey(config)) return undefined;
  const differing = (Object.keys(config) as (keyof RunConfig)[]).filter(
    (key) =>
      key !== "seed" &&
      (key === "optimizer"
        ? batchGroupKey({ ...leader, optimizer: config.optimizer }) !== batchGroupKey(leader)
        : JSON.stringify(config[key]) !== JSON.stringify(leader[key])),
  );
  return `cannot train in a batched group with the first trial: differs in ${differing.join(", ")}`;
}
