// Search-space pieces the sampler tests share.
import type { SearchSpaceInput } from "../space.ts";

/** A choice of optimizer, each with its own learning-rate range active only when it is chosen. */
export const CONDITIONAL_OPTIMIZER: SearchSpaceInput["parameters"] = [
  {
    name: "optimizer",
    path: "optimizer",
    type: "categorical",
    values: [{ kind: "adamw" }, { kind: "sgd", momentum: 0.9 }],
  },
  {
    name: "adamwLr",
    path: "optimizer.learningRate",
    type: "log-uniform",
    low: 3e-4,
    high: 3e-3,
    condition: { path: "optimizer.kind", equals: "adamw" },
  },
  {
    name: "sgdLr",
    path: "optimizer.learningRate",
    type: "log-uniform",
    low: 3e-2,
    high: 2e-1,
    condition: { path: "optimizer.kind", equals: "sgd" },
  },
];
