// The SDK's public types for the events and codes that cross the wire: the contract's own types (z.infer of its
// schemas), written out as plain TypeScript by `pnpm --filter @sweeplab/sdk generate` (generated/contract-types.ts),
// so the SDK's declarations name no zod type and a project that installs the SDK needs no zod. The runtime checks
// are the contract's zod schemas, bundled into the build. wire-types.test.ts proves each is the contract's type.
import type { RunEvent } from "./generated/contract-types.ts";

export type {
  Activation,
  BackendName,
  ErrorCode,
  RunEvent,
  RunStatus,
  SweepEvent,
  SweepExport,
  SweepImportResult,
  SweepStatus,
} from "./generated/contract-types.ts";
export type RunEventType = RunEvent["type"];
export type StartedEvent = Extract<RunEvent, { type: "started" }>;
export type StepEvent = Extract<RunEvent, { type: "step" }>;
export type EvalEvent = Extract<RunEvent, { type: "eval" }>;
export type FailedEvent = Extract<RunEvent, { type: "failed" }>;
