// `@sweeplab/core/contract`: the schemas every package shares (run config, run events, statuses), with no
// TensorFlow.js and no Node built-ins, so the SDK, the CLI's remote mode and the browser dashboard can check what
// they send and receive against the one definition.
export type { BackendInfo, BackendName } from "./backend/info.ts";
export { BACKEND_NAMES, BackendInfoSchema, BackendNameSchema } from "./backend/info.ts";
export type { DatasetSpec } from "./data/dataset-spec.ts";
export { DatasetSpecSchema } from "./data/dataset-spec.ts";
export type { DatasetShape } from "./data/shape.ts";
export { DatasetShapeSchema } from "./data/shape.ts";
export type { CoreErrorCode } from "./errors.ts";
export { CORE_ERROR_CODES, CoreError, isCoreError } from "./errors.ts";
export type { Activation } from "./models/activation-names.ts";
export { ACTIVATIONS, ActivationSchema } from "./models/activation-names.ts";
export type { ModelSpec, ModelSpecInput } from "./models/spec.ts";
export { ModelSpecSchema } from "./models/spec.ts";
export type { OptimizerSpec } from "./optim/spec.ts";
export { OptimizerSpecSchema } from "./optim/spec.ts";
export type { RunConfig, RunConfigInput } from "./train/config.ts";
export { MAX_BATCH_SIZE, MAX_STEPS, RunConfigSchema } from "./train/config.ts";
export { parseRunConfig } from "./train/run-config.ts";
export type { RunEvent, RunEventType, RunStatus } from "./train/run-events.ts";
export {
  isTerminalEvent,
  RUN_STATUSES,
  RunEventSchema,
  RunStatusSchema,
  TERMINAL_EVENT_STATUS,
  TERMINAL_STATUSES,
} from "./train/run-events.ts";
