export { STUDY_ENV } from "@sweeplab/core/run-flags";
export { buildRunConfig, type TrainFlags } from "./commands/train-config.ts";
