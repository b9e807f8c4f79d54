import type { RunConfig } from "@sweeplab/sdk";
import { UsageError } from "../errors.ts";

/** The flags of `sweeplab train`, as commander hands them over (strings, or booleans for switches). */
export interface TrainFlags {
  model?: string;
  depth?: string;
  width?: string;
  act?: string;
  opt?: string;
  lr?: string;
  wd?: string;
  batch?: string;
  steps?: string;
  dataset?: string;
  augment?: boolean;
  batchNorm?: boolean;
  dropout?: string;
  seed?: string;
  evalEvery?: string;
  validationSize?: string;
}

/** The reference study's scripts read these; `sweeplab train` takes them as defaults under its flags. */
export const STUDY_ENV = {
  steps: "STEPS",
  batch: "BATCH",
  lr: "LR_MAX",
  act: "ACT",
  width: "WIDTH",
  wd: "WD",
  opt: "OPT",
} as const;

function number(value: string | undefined, name: string, integer = false): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name} must be ${integer ? "an integer" : "a number"}, got "${value}"`);
  }
  return n;
}

function oneOf<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === "") return undefined;
  const lower = value.toLowerCase();
  if (!(allowed as readonly string[]).includes(lower))
    throw new UsageError(`${name} must be one of ${allowed.join(", ")}, got "${value}"`);
  return lower as T;
}

/** Flags first, then the study's environment variables, then the service's defaults (CNN: lr 5.426e-4, batch 128). */
export function buildRunConfig(flags: TrainFlags, env: Record<string, string | undefined> = {}): RunConfig {
  const pick = (key: keyof typeof STUDY_ENV) => (flags[key] as string | undefined) ?? env[STUDY_ENV[key]];
  const kind = oneOf(flags.model, "--model", ["mlp", "cnn"] as const) ?? "mlp";
  const activation = oneOf(pick("act"), "--act", ["relu", "silu", "gelu", "tanh", "sigmoid"] as const);
  const optimizerKind = oneOf(pick("opt"), "--opt", ["adamw", "sgd"] as const) ?? "adamw";
  const dropout = number(flags.dropout, "--dropout");
  const learningRate =
    number(pick("lr"), "--lr") ?? (kind === "cnn" && optimizerKind === "adamw" ? 5.426e-4 : undefined);
  const dataset = flags.dataset;
  const config: RunConfig = {
    model:
      kind === "mlp"
        ? {
            kind,
            depth: number(flags.depth, "--depth", true),
            width: number(pick("width"), "--width", true),
            activation,
            dropout,
          }
        : { kind, activation, batchNorm: flags.batchNorm, dropout },
    optimizer: { kind: optimizerKind, learningRate, weightDecay: number(pick("wd"), "--wd") },
    steps: number(pick("steps"), "--steps", true),
    batchSize: number(pick("batch"), "--batch", true) ?? (kind === "cnn" ? 128 : undefined),
    augment: flags.augment,
    seed: number(flags.seed, "--seed", true),
    evalEverySteps: number(flags.evalEvery, "--eval-every", true),
    validationSize: number(flags.validationSize, "--validation-size", true),
    ...(dataset
      ? {
          dataset:
            dataset === "mnist" || dataset === "fashion-mnist" ? dataset : { kind: "folder", path: dataset },
        }
      : {}),
  };
  return JSON.parse(JSON.stringify(config)) as RunConfig; // drops the undefined fields
}
