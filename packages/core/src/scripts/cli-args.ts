import { parseArgs } from "node:util";
import { CoreError } from "../errors.ts";
import type { RunConfigInput } from "../train/config.ts";

/** The flags the core scripts share, mapped onto a RunConfig input. */
export const RUN_FLAGS = {
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
  seed: { type: "string" },
  "eval-every": { type: "string" },
  "validation-size": { type: "string" },
  backend: { type: "string" },
  json: { type: "boolean" },
} as const;

function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n))
    throw new CoreError("INVALID_CONFIG", `--${flag} must be a number, got "${value}"`);
  return n;
}

export function parseRunFlags(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: RUN_FLAGS, strict: true, allowPositionals: false });
  const kind = values.model ?? "mlp";
  if (kind !== "mlp" && kind !== "cnn")
    throw new CoreError("INVALID_CONFIG", `--model must be mlp or cnn, got "${kind}"`);
  const optimizerKind = values.opt ?? "adamw";
  const dataset = values.dataset;
  const config: RunConfigInput = {
    model:
      kind === "mlp"
        ? {
            kind,
            depth: numberFlag(values.depth, "depth"),
            width: numberFlag(values.width, "width"),
            activation: values.act as never,
            dropout: numberFlag(values.dropout, "dropout"),
          }
        : {
            kind,
            activation: values.act as never,
            batchNorm: values["batch-norm"],
            dropout: numberFlag(values.dropout, "dropout"),
          },
    optimizer: {
      kind: optimizerKind as never,
      learningRate:
        numberFlag(values.lr, "lr") ?? (kind === "cnn" && optimizerKind === "adamw" ? 5.426e-4 : undefined),
      weightDecay: numberFlag(values.wd, "wd"),
    },
    batchSize: numberFlag(values.batch, "batch") ?? (kind === "cnn" ? 128 : 256),
    steps: numberFlag(values.steps, "steps"),
    augment: values.augment,
    seed: numberFlag(values.seed, "seed"),
    evalEverySteps: numberFlag(values["eval-every"], "eval-every"),
    validationSize: numberFlag(values["validation-size"], "validation-size"),
    ...(dataset
      ? {
          dataset:
            dataset === "mnist" || dataset === "fashion-mnist" ? dataset : { kind: "folder", path: dataset },
        }
      : {}),
  };
  return { config, backend: values.backend, json: values.json ?? false };
}
