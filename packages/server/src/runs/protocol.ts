import type { BackendInfo, RunConfig, TrainEvent } from "@sweeplab/core";

/** What the service tells a training process. */
export type ToWorker =
  | {
      type: "run";
      runId: string;
      config: RunConfig;
      /** A checkpoint file to resume from. */
      resumeFromPath?: string;
      checkpointPath: string;
      weightsPath: string;
      checkpointEverySteps: number;
    }
  | { type: "cancel"; runId: string };

/** A run's event as it crosses the process boundary: tensors stay on disk, referred to by path. */
export type WorkerRunEvent =
  | Exclude<TrainEvent, { type: "checkpoint" } | { type: "finished" }>
  | { type: "checkpoint"; step: number; path: string }
  | (Omit<Extract<TrainEvent, { type: "finished" }>, "weights"> & { weightsPath: string });

/** What a training process tells the service. */
export type FromWorker =
  | { type: "ready"; backend: BackendInfo }
  | { type: "unavailable"; message: string }
  | { type: "event"; runId: string; event: WorkerRunEvent };
