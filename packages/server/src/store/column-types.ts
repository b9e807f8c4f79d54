// The types of the store's JSON and enum columns, shared by both schemas (drizzle `$type<>()`), so rows come out
// typed and no reader casts them. `sweeps.spec` and `runs.trial` stay `unknown`: their types belong to the sweep
// code, which reads the store (typing them here would make the store import it back).
import type { RunEvent } from "@sweeplab/core";

export type {
  BackendInfo,
  DatasetShape,
  RunConfig,
  RunEventType,
  RunStatus,
  TestEvaluation,
} from "@sweeplab/core";

/** What a run's `started` event says about where it trains. */
export type RunEnvironment = Pick<
  Extract<RunEvent, { type: "started" }>,
  "backend" | "versions" | "parameterCount"
>;

/** A stored event's payload: the event without its `type` (which has its own column). */
export type StoredEventData = Omit<RunEvent, "type">;

/** A sweep's status: running until it ends once, as sweep-lifecycle.ts decides. */
export const SWEEP_STATUSES = ["running", "succeeded", "failed", "canceled"] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];
