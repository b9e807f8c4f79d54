import type { Parameter } from "../models/parameters.ts";
import { createAdamW } from "./adamw.ts";
import type { Optimizer } from "./optimizer.ts";
import { createSgd } from "./sgd.ts";
import type { OptimizerSpec } from "./spec.ts";

export function createOptimizer(parameters: Parameter[], spec: OptimizerSpec): Optimizer {
  return spec.kind === "adamw" ? createAdamW(parameters, spec) : createSgd(parameters, spec);
}
