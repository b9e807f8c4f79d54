import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseRunConfig, type RunConfig } from "@sweeplab/core";
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { ServerConfig } from "../config.ts";
import type { Database } from "../db/client.ts";
import {
  checkpoints,
  type RunRow,
  type RunStatus,
  runEvents,
  runMetrics,
  runs,
  TERMINAL_STATUSES,
} from "../db/schema.ts";
import { ProblemError } from "../problem.ts";
import type { FromWorker, WorkerRunEvent } from "./protocol.ts";
import { WorkerPool, type WorkerState } from "./worker-pool.ts";

/** An event as stored and streamed: numbered per run. */
export interface StoredEvent {
  seq: number;
  type: string;
  data: unknown;
}

/** Events the service adds to a run's own: queued on creation, requeued after a worker died. */
type ServiceEvent =
  | { type: "queued" }
  | { type: "requeued"; reason: string; attempt: number }
  | { type: "canceled" }
  | { type: "checkpoint"; step: number }
  | Omit<Extract<WorkerRunEvent, { type: "finished" }>, "weightsPath" | "evaluation">;

export interface SubmitRun {
  config: unknown;
  name?: string;
  tags?: string[];
  idempotencyKey?: string;
}

export class RunService {
  readonly bus = new EventEmitter().setMaxListeners(0);
  private readonly pool: WorkerPool;
  private readonly seqs = new Map<string, number>();
  private closing = false;
  lastWorkerProblem: string | undefined;

  constructor(
    private readonly db: Database,
    private readonly config: Readonly<ServerConfig>,
  ) {
    this.pool = new WorkerPool(
      config.workers,
      { SWEEPLAB_BACKEND: config.backend },
      {
        onMessage: (worker, message) => this.onWorkerMessage(worker, message),
        onExit: (worker, runId, reason) => this.onWorkerExit(worker, runId, reason),
      },
    );
  }

  /** Requeues runs a crash left running (they resume from their checkpoints), then starts the workers. */
  start(): void {
    this.db.update(runs).set({ status: "queued" }).where(eq(runs.status, "running")).run();
    this.pool.start();
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.pool.close();
  }

  workers(): WorkerState[] {
    return this.pool.list();
  }

  runDir(id: string): string {
    return join(this.config.dataDir, "runs", id);
  }

  submit(input: SubmitRun): { run: RunRow; created: boolean } {
    if (input.idempotencyKey) {
      const existing = this.db.select().from(runs).where(eq(runs.idempotencyKey, input.idempotencyKey)).get();
      if (existing) return { run: existing, created: false };
    }
    const config: RunConfig = parseRunConfig(input.config);
    if (typeof config.dataset !== "string" && !this.config.allowCustomDatasets) {
      throw new ProblemError(
        403,
        "DATASET_NOT_ALLOWED",
        `dataset kind "${config.dataset.kind}" is disabled on this service (SWEEPLAB_ALLOW_CUSTOM_DATASETS=1 enables it); use "mnist" or "fashion-mnist"`,
      );
    }
    const queued = this.db.select({ n: count() }).from(runs).where(eq(runs.status, "queued")).get()?.n ?? 0;
    if (queued >= this.config.maxQueuedRuns) {
      throw new ProblemError(
        429,
        "QUEUE_FULL",
        `${queued} runs are queued already (limit ${this.config.maxQueuedRuns})`,
      );
    }
    const run = this.db
      .insert(runs)
      .values({
        id: `run_${randomUUID().replaceAll("-", "").slice(0, 20)}`,
        name: input.name ?? null,
        tags: input.tags ?? [],
        status: "queued",
        config,
        idempotencyKey: input.idempotencyKey ?? null,
        totalSteps: config.steps,
        createdAt: Date.now(),
      })
      .onConflictDoNothing({ target: runs.idempotencyKey })
      .returning()
      .get();
    if (!run) {
      // A concurrent request with the same key won the race.
      return {
        run: this.db.select().from(runs).where(eq(runs.idempotencyKey, input.idempotencyKey!)).get()!,
        created: false,
      };
    }
    this.record(run.id, { type: "queued" });
    this.dispatch();
    return { run, created: true };
  }

  get(id: string): RunRow {
    const run = this.db.select().from(runs).where(eq(runs.id, id)).get();
    if (!run) throw new ProblemError(404, "RUN_NOT_FOUND", `no run ${id}`);
    return run;
  }

  cancel(id: string): RunRow {
    const run = this.get(id);
    if (TERMINAL_STATUSES.includes(run.status)) {
      throw new ProblemError(409, "RUN_FINISHED", `run ${id} is ${run.status} already`);
    }
    const worker = this.pool.workerOf(id);
    if (run.status === "running" && worker) {
      this.pool.send(worker, { type: "cancel", runId: id });
      return run;
    }
    this.finish(id, {
      status: "canceled",
      errorCode: "CANCELED",
      errorMessage: "canceled before it started",
    });
    this.record(id, { type: "canceled" });
    return this.get(id);
  }

  delete(id: string): void {
    const run = this.get(id);
    if (!TERMINAL_STATUSES.includes(run.status)) {
      throw new ProblemError(409, "RUN_ACTIVE", `run ${id} is ${run.status}: cancel it first`);
    }
    this.db.delete(runs).where(eq(runs.id, id)).run();
    rmSync(this.runDir(id), { recursive: true, force: true });
  }

  /** Events after `afterSeq`, oldest first. */
  eventsAfter(id: string, afterSeq: number): StoredEvent[] {
    return this.db
      .select({ seq: runEvents.seq, type: runEvents.type, data: runEvents.data })
      .from(runEvents)
      .where(and(eq(runEvents.runId, id), sql`${runEvents.seq} > ${afterSeq}`))
      .orderBy(asc(runEvents.seq))
      .all();
  }

  private nextSeq(runId: string): number {
    let seq = this.seqs.get(runId);
    if (seq === undefined) {
      seq =
        this.db
          .select({ max: sql<number>`coalesce(max(${runEvents.seq}), 0)` })
          .from(runEvents)
          .where(eq(runEvents.runId, runId))
          .get()?.max ?? 0;
    }
    seq += 1;
    this.seqs.set(runId, seq);
    return seq;
  }

  private record(
    runId: string,
    event: Exclude<WorkerRunEvent, { type: "checkpoint" | "finished" }> | ServiceEvent,
  ): void {
    const { type, ...data } = event;
    const stored: StoredEvent = { seq: this.nextSeq(runId), type, data };
    this.db.insert(runEvents).values({ runId, seq: stored.seq, type, data, createdAt: Date.now() }).run();
    this.bus.emit(runId, stored);
  }

  private finish(id: string, values: Partial<RunRow> & { status: RunStatus }): void {
    this.db
      .update(runs)
      .set({ ...values, finishedAt: Date.now() })
      .where(eq(runs.id, id))
      .run();
  }

  /** Hands queued runs, oldest first, to idle workers. */
  private dispatch(): void {
    for (let worker = this.pool.idle(); worker; worker = this.pool.idle()) {
      const run = this.db
        .select()
        .from(runs)
        .where(eq(runs.status, "queued"))
        .orderBy(asc(runs.createdAt))
        .limit(1)
        .get();
      if (!run) return;
      if (run.attempts >= this.config.maxRunAttempts) {
        this.finish(run.id, {
          status: "failed",
          errorCode: "TOO_MANY_ATTEMPTS",
          errorMessage: `${run.errorMessage ?? "worker died"}; gave up after ${run.attempts} attempts`,
        });
        this.record(run.id, {
          type: "failed",
          step: run.step,
          code: "INTERNAL",
          message: "gave up after repeated worker deaths",
        });
        continue;
      }
      const checkpoint = this.db.select().from(checkpoints).where(eq(checkpoints.runId, run.id)).get();
      this.db
        .update(runs)
        .set({ status: "running", attempts: run.attempts + 1, startedAt: run.startedAt ?? Date.now() })
        .where(eq(runs.id, run.id))
        .run();
      this.pool.send(worker, {
        type: "run",
        runId: run.id,
        config: run.config as RunConfig,
        ...(checkpoint && existsSync(checkpoint.path) ? { resumeFromPath: checkpoint.path } : {}),
        checkpointPath: join(this.runDir(run.id), "checkpoint.bin"),
        weightsPath: join(this.runDir(run.id), "weights.bin"),
        checkpointEverySteps: this.config.checkpointEverySteps,
      });
    }
  }

  private onWorkerMessage(worker: WorkerState, message: FromWorker): void {
    if (message.type === "ready") {
      this.dispatch();
      return;
    }
    if (message.type === "unavailable") {
      this.lastWorkerProblem = message.message;
      return;
    }
    const { runId, event } = message;
    // Clients see events without the service's file paths.
    if (event.type === "checkpoint") this.record(runId, { type: "checkpoint", step: event.step });
    else if (event.type === "finished") {
      const { weightsPath: _, evaluation: __, ...summary } = event;
      this.record(runId, summary);
    } else this.record(runId, event);
    switch (event.type) {
      case "started":
        this.db
          .update(runs)
          .set({
            environment: {
              backend: event.backend,
              versions: event.versions,
              parameterCount: event.parameterCount,
            },
            datasetShape: event.dataset,
          })
          .where(eq(runs.id, runId))
          .run();
        break;
      case "step":
        this.upsertMetric({
          runId,
          step: event.step,
          kind: "step",
          loss: event.loss,
          learningRate: event.learningRate,
          msPerStep: event.msPerStep,
        });
        this.db.update(runs).set({ step: event.step }).where(eq(runs.id, runId)).run();
        break;
      case "eval":
        this.upsertMetric({
          runId,
          step: event.step,
          kind: "eval",
          learningRate: event.learningRate,
          trainLoss: event.trainLoss,
          trainAccuracy: event.trainAccuracy,
          validationLoss: event.validationLoss,
          validationAccuracy: event.validationAccuracy,
        });
        break;
      case "checkpoint":
        this.db
          .insert(checkpoints)
          .values({ runId, step: event.step, path: event.path, createdAt: Date.now() })
          .onConflictDoUpdate({
            target: checkpoints.runId,
            set: { step: event.step, path: event.path, createdAt: Date.now() },
          })
          .run();
        break;
      case "finished":
        this.finish(runId, {
          status: "succeeded",
          step: event.step,
          testAccuracy: event.testAccuracy,
          testLoss: event.testLoss,
          evaluation: event.evaluation,
          msPerStep: event.msPerStep,
        });
        worker.runId = undefined;
        this.dispatch();
        break;
      case "failed": {
        const status: RunStatus =
          event.code === "ABORTED" ? "canceled" : event.code === "NON_FINITE_LOSS" ? "diverged" : "failed";
        this.finish(runId, { status, step: event.step, errorCode: event.code, errorMessage: event.message });
        worker.runId = undefined;
        this.dispatch();
        break;
      }
    }
  }

  private upsertMetric(row: typeof runMetrics.$inferInsert): void {
    const { runId, step, kind, ...values } = row;
    this.db
      .insert(runMetrics)
      .values(row)
      .onConflictDoUpdate({ target: [runMetrics.runId, runMetrics.step, runMetrics.kind], set: values })
      .run();
  }

  private onWorkerExit(_worker: WorkerState, runId: string | undefined, reason: string): void {
    if (this.closing || !runId) return;
    const run = this.db.select().from(runs).where(eq(runs.id, runId)).get();
    if (run?.status !== "running") return;
    this.db
      .update(runs)
      .set({ status: "queued", errorMessage: `worker died (${reason}) at step ${run.step}` })
      .where(eq(runs.id, runId))
      .run();
    this.record(runId, { type: "requeued", reason: `worker died (${reason})`, attempt: run.attempts });
  }
}
