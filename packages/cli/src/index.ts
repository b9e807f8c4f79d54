export { buildRunConfig, STUDY_ENV, type TrainFlags } from "./commands/train-config.ts";
