import { createHash, randomUUID } from "node:crypto";
import { parseRunConfig, type RunConfig, TERMINAL_STATUSES } from "@sweeplab/core";
import { Admission } from "../admission.ts";
import type { ServerConfig } from "../config.ts";
import { DomainError } from "../domain-error.ts";
import type { NewRun, RunRecord, Store } from "../store/store.ts";

export interface SubmitRun {
  config: unknown;
  name?: string;
  tags?: string[];
  idempotencyKey?: string;
  /** For sweep trials: which sweep, trial and repeat the run is (their keys may use the reserved prefix). */
  sweep?: NewRun["sweep"];
}

export const newRunId = () => `run_${randomUUID().replaceAll("-", "").slice(0, 20)}`;

/** The service's side of runs: submission through admission, reads, cancel and delete. */
export class RunService {
  readonly admission: Admission;
  /** Called after this service ended or deleted a run itself, with its sweep (the sweep scheduler reacts). */
  onRunEnded: (runId: string, sweepId: string | null) => void = () => {};
  /** Called after a run was queued (local workers then claim it without waiting for their poll). */
  onRunQueued: () => void = () => {};

  constructor(
    readonly store: Store,
    config: Readonly<ServerConfig>,
  ) {
    this.admission = new Admission(store, config);
  }

  /** Queues a run after admission (config, dataset, memory, queue depth); a replayed key returns its run. */
  async submit(input: SubmitRun): Promise<{ run: RunRecord; created: boolean }> {
    const config: RunConfig = parseRunConfig(input.config);
    this.admission.checkConfig(config);
    await this.admission.checkQueue(input.idempotencyKey, input.sweep !== undefined);
    const requestHash = createHash("sha256")
      .update(JSON.stringify([config, input.name ?? null, input.tags ?? []]))
      .digest("hex");
    const created = await this.store.createRun({
      id: newRunId(),
      name: input.name ?? null,
      tags: input.tags ?? [],
      config,
      totalSteps: config.steps,
      idempotencyKey: input.idempotencyKey,
      requestHash,
      sweep: input.sweep,
    });
    if (created.created) this.onRunQueued();
    return created;
  }

  async get(id: string): Promise<RunRecord> {
    const run = await this.store.getRun(id);
    if (!run) throw new DomainError("RUN_NOT_FOUND", `no run ${id}`);
    return run;
  }

  async cancel(id: string): Promise<RunRecord> {
    await this.get(id);
    const run = await this.store.requestCancel(id, "canceled by request");
    if (TERMINAL_STATUSES.includes(run.status)) this.onRunEnded(id, run.sweepId);
    return run;
  }

  async delete(id: string): Promise<void> {
    const run = await this.get(id);
    if (!TERMINAL_STATUSES.includes(run.status)) {
      throw new DomainError("RUN_ACTIVE", `run ${id} is ${run.status}: cancel it first`);
    }
    await this.store.deleteRun(id);
    this.onRunEnded(id, run.sweepId);
  }
}
