// `@sweeplab/core/contract`: the shared schemas, now the @sweeplab/contract package (no TensorFlow.js), plus
// core's CoreError and parseRunConfig. Kept so existing imports keep working.
export * from "@sweeplab/contract";
export { CoreError, isCoreError } from "./errors.ts";
export { parseRunConfig } from "./train/run-config.ts";
