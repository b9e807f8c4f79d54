import { parseArgs } from "node:util";
import { runConfigFromFlags } from "../train/run-flags.ts";

/** The flags of core's scripts (train, bench), in kebab-case as typed. */
const RUN_FLAGS = {
  model: { type: "string" },
  depth: { type: "string" },
  width: { type: "string" },
  act: { type: "string" },
  opt: { type: "string" },
  lr: { type: "string" },
  wd: { type: "string" },
  batch: { type: "string" },
  steps: { type: "string" },
  dataset: { type: "string" },
  augment: { type: "boolean" },
  "batch-norm": { type: "boolean" },
  dropout: { type: "string" },
  "dense-dropout": { type: "string" },
  seed: { type: "string" },
  "eval-every": { type: "string" },
  "validation-size": { type: "string" },
  backend: { type: "string" },
  json: { type: "boolean" },
} as const;

export function parseRunFlags(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: RUN_FLAGS, strict: true, allowPositionals: false });
  const config = runConfigFromFlags({
    ...values,
    batchNorm: values["batch-norm"],
    denseDropout: values["dense-dropout"],
    evalEvery: values["eval-every"],
    validationSize: values["validation-size"],
  });
  return { config, backend: values.backend, json: values.json ?? false };
}
