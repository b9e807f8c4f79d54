// Admission: the one check every way into the run queue passes (POST /v1/runs, sweep trials from the scheduler,
// a sweep's trials when it is created). It refuses what the service will not train (a forbidden dataset, a run over
// the memory budget), what it cannot take now (a full queue), and the idempotency keys the service keeps for itself.
import { estimateRunMemory, type RunConfig } from "@sweeplab/core";
import type { ServerConfig } from "./config.ts";
import { DomainError } from "./domain-error.ts";
import type { Store } from "./store/store.ts";

/** Idempotency keys the service gives its own runs (sweep trials); a client's key may not start so. */
export const RESERVED_KEY_PREFIX = "sweeplab:";
/** What a client told the queue is full should wait before asking again. */
const QUEUE_FULL_RETRY_S = 5;
const MB = 1024 * 1024;

/** The idempotency key of one repeat of one sweep trial: outside the clients' key space. */
export const trialIdempotencyKey = (sweepId: string, trialIndex: number, repeatIndex: number) =>
  `${RESERVED_KEY_PREFIX}trial:${sweepId}:${trialIndex}:${repeatIndex}`;

export class Admission {
  constructor(
    private readonly store: Pick<Store, "countRunsByStatus" | "getRunByIdempotencyKey">,
    private readonly config: Pick<ServerConfig, "allowCustomDatasets" | "maxRunMemoryMb" | "maxQueuedRuns">,
  ) {}

  /** Whether the service trains this config at all: its dataset is allowed and it fits the memory budget. */
  checkConfig(config: RunConfig): void {
    if (typeof config.dataset !== "string" && !this.config.allowCustomDatasets) {
      throw new DomainError(
        "DATASET_NOT_ALLOWED",
        `dataset kind "${config.dataset.kind}" is disabled on this service (SWEEPLAB_ALLOW_CUSTOM_DATASETS=1 enables it); use "mnist" or "fashion-mnist"`,
      );
    }
    const estimate = estimateRunMemory(config);
    const budgetMb = this.config.maxRunMemoryMb;
    if (estimate.total <= budgetMb * MB) return;
    const mb = (bytes: number) => `${Math.ceil(bytes / MB)} MB`;
    throw new DomainError(
      "RUN_TOO_LARGE",
      `this run needs about ${mb(estimate.total)} (parameters ${mb(estimate.parameters)}, gradients and optimizer ` +
        `${mb(estimate.gradientsAndOptimizer)}, activations at batch ${config.batchSize} ${mb(estimate.activations)}, ` +
        `dataset ${mb(estimate.dataset)}), over the ${budgetMb} MB budget (SWEEPLAB_MAX_RUN_MEMORY_MB); use a smaller ` +
        "model or batch",
    );
  }

  /**
   * Whether a new run may enter the queue now. A key that already names a run is a replay: it returns that run
   * (the store checks the body is the same) and takes no room, so it passes a full queue. Any other run counts.
   * `internal`: the service's own run (a sweep trial), the only kind whose key may carry the reserved prefix.
   */
  async checkQueue(idempotencyKey: string | undefined, internal = false): Promise<void> {
    if (idempotencyKey?.startsWith(RESERVED_KEY_PREFIX) && !internal) {
      throw new DomainError(
        "IDEMPOTENCY_KEY_RESERVED",
        `idempotency keys starting with "${RESERVED_KEY_PREFIX}" are the service's own; choose another key`,
      );
    }
    if (idempotencyKey && (await this.store.getRunByIdempotencyKey(idempotencyKey))) return;
    const queued = (await this.store.countRunsByStatus()).queued;
    if (queued >= this.config.maxQueuedRuns) {
      throw new DomainError(
        "QUEUE_FULL",
        `${queued} runs are queued already (limit ${this.config.maxQueuedRuns})`,
        QUEUE_FULL_RETRY_S,
      );
    }
  }
}
