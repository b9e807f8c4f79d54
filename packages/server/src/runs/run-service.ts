import { createHash, randomUUID } from "node:crypto";
import { parseRunConfig, type RunConfig, TERMINAL_STATUSES } from "@sweeplab/core";
import type { ServerConfig } from "../config.ts";
import { ProblemError } from "../problem.ts";
import type { NewRun, RunRecord, Store } from "../store/store.ts";

export interface SubmitRun {
  config: unknown;
  name?: string;
  tags?: string[];
  idempotencyKey?: string;
  /** For sweep trials: which sweep, trial and repeat the run is. */
  sweep?: NewRun["sweep"];
}

export const newRunId = () => `run_${randomUUID().replaceAll("-", "").slice(0, 20)}`;

/** The service's side of runs: admission (config, dataset policy, queue limit), reads, cancel and delete. */
export class RunService {
  constructor(
    readonly store: Store,
    private readonly config: Readonly<ServerConfig>,
  ) {}

  async submit(input: SubmitRun): Promise<{ run: RunRecord; created: boolean }> {
    const config: RunConfig = parseRunConfig(input.config);
    if (typeof config.dataset !== "string" && !this.config.allowCustomDatasets) {
      throw new ProblemError(
        403,
        "DATASET_NOT_ALLOWED",
        `dataset kind "${config.dataset.kind}" is disabled on this service (SWEEPLAB_ALLOW_CUSTOM_DATASETS=1 enables it); use "mnist" or "fashion-mnist"`,
      );
    }
    const queued = (await this.store.countRunsByStatus()).queued;
    if (queued >= this.config.maxQueuedRuns && !input.idempotencyKey) {
      throw new ProblemError(
        429,
        "QUEUE_FULL",
        `${queued} runs are queued already (limit ${this.config.maxQueuedRuns})`,
      );
    }
    const requestHash = createHash("sha256")
      .update(JSON.stringify([config, input.name ?? null, input.tags ?? []]))
      .digest("hex");
    return this.store.createRun({
      id: newRunId(),
      name: input.name ?? null,
      tags: input.tags ?? [],
      config,
      totalSteps: config.steps,
      idempotencyKey: input.idempotencyKey,
      requestHash,
      sweep: input.sweep,
    });
  }

  async get(id: string): Promise<RunRecord> {
    const run = await this.store.getRun(id);
    if (!run) throw new ProblemError(404, "RUN_NOT_FOUND", `no run ${id}`);
    return run;
  }

  async cancel(id: string): Promise<RunRecord> {
    await this.get(id);
    return this.store.requestCancel(id, "canceled by request");
  }

  async delete(id: string): Promise<void> {
    const run = await this.get(id);
    if (!TERMINAL_STATUSES.includes(run.status)) {
      throw new ProblemError(409, "RUN_ACTIVE", `run ${id} is ${run.status}: cancel it first`);
    }
    await this.store.deleteRun(id);
  }
}
