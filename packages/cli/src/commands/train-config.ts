import { isCoreError } from "@sweeplab/core/errors";
import { type RunFlags, runConfigFromFlags } from "@sweeplab/core/run-flags";
import type { RunConfig } from "@sweeplab/sdk";
import { UsageError } from "../errors.ts";

/** The flags of `sweeplab train` that describe the run, as commander hands them over (core's shared set). */
export type TrainFlags = RunFlags;

/** Flags first, then the study's environment variables, then the service's defaults (CNN: lr 5.426e-4, batch 128). */
export function buildRunConfig(flags: TrainFlags, env: Record<string, string | undefined> = {}): RunConfig {
  try {
    return runConfigFromFlags(flags, env);
  } catch (error) {
    if (isCoreError(error)) throw new UsageError(error.message);
    throw error;
  }
}
