// Command-line flags mapped onto a RunConfig, shared by core's training script and the `sweeplab` CLI. Imports no
// TensorFlow.js (the CLI loads it through the package's `./run-flags` entry, which stays light).
import { CoreError } from "../errors.ts";
import type { RunConfigInput } from "./config.ts";

/** The flags as a command-line parser hands them over: strings, or booleans for switches. */
export interface RunFlags {
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
  /** CNN only: dropout after the hidden dense layer (default --dropout). */
  denseDropout?: string;
  seed?: string;
  evalEvery?: string;
  validationSize?: string;
}

/** The reference study's scripts read these environment variables; they stand in for the flags they name. */
export const STUDY_ENV = {
  steps: "STEPS",
  batch: "BATCH",
  lr: "LR_MAX",
  act: "ACT",
  width: "WIDTH",
  wd: "WD",
  opt: "OPT",
} as const;

/** The reference CNN recipe's peak learning rate (AdamW) and batch size, used for `--model cnn` unless given. */
export const CNN_RECIPE = { learningRate: 5.426e-4, batchSize: 128 } as const;

function number(value: string | undefined, flag: string, integer = false): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new CoreError(
      "INVALID_CONFIG",
      `${flag} must be ${integer ? "an integer" : "a number"}, got "${value}"`,
    );
  return n;
}

function oneOf<T extends string>(
  value: string | undefined,
  flag: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === "") return undefined;
  const lower = value.toLowerCase();
  if (!(allowed as readonly string[]).includes(lower))
    throw new CoreError("INVALID_CONFIG", `${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  return lower as T;
}

/**
 * Flags first, then the study's environment variables (`env`, empty unless the caller passes one), then the run
 * config's own defaults. Fields left unset are absent, so RunConfigSchema fills them. Malformed values are
 * INVALID_CONFIG errors naming the flag; ranges are RunConfigSchema's to check.
 */
export function runConfigFromFlags(
  flags: RunFlags,
  env: Record<string, string | undefined> = {},
): RunConfigInput {
  const pick = (key: keyof typeof STUDY_ENV) => (flags[key] as string | undefined) ?? env[STUDY_ENV[key]];
  const kind = oneOf(flags.model, "--model", ["mlp", "cnn"] as const) ?? "mlp";
  const activation = oneOf(pick("act"), "--act", ["relu", "silu", "gelu", "tanh", "sigmoid"] as const);
  const optimizerKind = oneOf(pick("opt"), "--opt", ["adamw", "sgd"] as const) ?? "adamw";
  const dropout = number(flags.dropout, "--dropout");
  const learningRate =
    number(pick("lr"), "--lr") ??
    (kind === "cnn" && optimizerKind === "adamw" ? CNN_RECIPE.learningRate : undefined);
  const dataset = flags.dataset;
  const config: RunConfigInput = {
    model:
      kind === "mlp"
        ? {
            kind,
            depth: number(flags.depth, "--depth", true),
            width: number(pick("width"), "--width", true),
            activation,
            dropout,
          }
        : {
            kind,
            activation,
            batchNorm: flags.batchNorm,
            dropout,
            denseDropout: number(flags.denseDropout, "--dense-dropout"),
          },
    optimizer: { kind: optimizerKind, learningRate, weightDecay: number(pick("wd"), "--wd") },
    steps: number(pick("steps"), "--steps", true),
    batchSize: number(pick("batch"), "--batch", true) ?? (kind === "cnn" ? CNN_RECIPE.batchSize : undefined),
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
  return JSON.parse(JSON.stringify(config)) as RunConfigInput; // drops the fields left undefined
}
