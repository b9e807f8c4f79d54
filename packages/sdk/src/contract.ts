// What the SDK re-exports of @sweeplab/contract: its constants, guards and run event check. The build bundles
// their code (with the part of zod it needs), so the SDK depends on neither package; each is declared here with
// the contract's types as generated/contract-types.ts writes them out, so the SDK's declarations never import the
// contract or zod (wire-types.test.ts holds them equal). The zod schemas are @sweeplab/contract's: install it
// to use them.
import * as contract from "@sweeplab/contract";
import type {
  Activation,
  ApiErrorCode,
  BackendName,
  ClientErrorCode,
  CoreErrorCode,
  ErrorCode,
  PlotKind,
  RunErrorCode,
  RunEvent,
  RunStatus,
  SweepStatus,
  TerminalEventStatus,
} from "./generated/contract-types.ts";

export type { ApiErrorCode, ClientErrorCode, CoreErrorCode, RunErrorCode, TerminalEventStatus };
/** The run event types that end a run's stream. */
export type TerminalEventType = keyof TerminalEventStatus;

/** Every error code, in one closed list (the OpenAPI document's `Problem.code`). */
export const ERROR_CODES: readonly [ErrorCode, ...ErrorCode[]] = contract.ERROR_CODES;
export const API_ERROR_CODES: readonly ApiErrorCode[] = contract.API_ERROR_CODES;
export const CLIENT_ERROR_CODES: readonly ClientErrorCode[] = contract.CLIENT_ERROR_CODES;
export const CORE_ERROR_CODES: readonly CoreErrorCode[] = contract.CORE_ERROR_CODES;
export const RUN_ERROR_CODES: readonly RunErrorCode[] = contract.RUN_ERROR_CODES;
export const isErrorCode: (value: unknown) => value is ErrorCode = contract.isErrorCode;

export const RUN_STATUSES: readonly RunStatus[] = contract.RUN_STATUSES;
/** The statuses a run ends in. */
export const TERMINAL_STATUSES: readonly RunStatus[] = contract.TERMINAL_STATUSES;
export const SWEEP_STATUSES: readonly SweepStatus[] = contract.SWEEP_STATUSES;
/** True for a run or sweep status that no longer changes. */
export const isTerminal: (status: RunStatus | SweepStatus | (string & {})) => boolean = contract.isTerminal;
/** The status each terminal run event leaves its run in. */
export const TERMINAL_EVENT_STATUS: TerminalEventStatus = contract.TERMINAL_EVENT_STATUS;
export const isTerminalEvent: (type: string) => type is TerminalEventType = contract.isTerminalEvent;
/** Checks a run event against the contract's schema (throws zod's error when it does not match). */
export const parseRunEvent: (input: unknown) => RunEvent = contract.parseRunEvent;

export const PLOT_KINDS: readonly PlotKind[] = contract.PLOT_KINDS;
export const ACTIVATIONS: readonly Activation[] = contract.ACTIVATIONS;
export const BACKEND_NAMES: readonly BackendName[] = contract.BACKEND_NAMES;

// The service's limits on a run config and a search space.
export const MAX_BATCH_SIZE: number = contract.MAX_BATCH_SIZE;
export const MAX_STEPS: number = contract.MAX_STEPS;
export const MAX_EVAL_EVENTS: number = contract.MAX_EVAL_EVENTS;
export const MAX_STEP_EVENTS: number = contract.MAX_STEP_EVENTS;
export const MAX_CATEGORICAL_VALUES: number = contract.MAX_CATEGORICAL_VALUES;
export const MAX_SPACE_PARAMETERS: number = contract.MAX_SPACE_PARAMETERS;
export const MAX_VALUE_DEPTH: number = contract.MAX_VALUE_DEPTH;
