import { type ChildProcess, fork } from "node:child_process";
import { setPriority } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BackendInfo } from "@sweeplab/core";
import type { FromWorker, ToWorker } from "./protocol.ts";

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), "worker-entry.ts");
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** TensorFlow's start-up lines, printed before TF_CPP_MIN_LOG_LEVEL takes effect; everything else passes. */
const TENSORFLOW_BANNER = [
  /^WARNING: All log messages before absl::InitializeLog\(\)/,
  /oneDNN custom operations are on/,
];

function forwardStderr(child: ChildProcess): void {
  let partial = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines)
      if (!TENSORFLOW_BANNER.some((p) => p.test(line))) process.stderr.write(`${line}\n`);
  });
}

const WORKER_NICENESS = 19;

export interface WorkerState {
  id: number;
  pid: number | undefined;
  ready: boolean;
  backend?: BackendInfo;
  /** The run this worker is training, if any. */
  runId?: string;
}

export interface WorkerPoolEvents {
  onMessage(worker: WorkerState, message: FromWorker): void;
  /** A worker exited; `runId` is what it was training. It is replaced at once. */
  onExit(worker: WorkerState, runId: string | undefined, reason: string): void;
}

/**
 * Training processes (not threads: a worker must be killable on its own, and TensorFlow's native state is per
 * process). Each trains one run at a time; a dead one is replaced.
 */
export class WorkerPool {
  private readonly workers = new Map<number, { state: WorkerState; child: ChildProcess }>();
  private nextId = 1;
  private closing = false;

  constructor(
    private readonly size: number,
    private readonly env: Record<string, string>,
    private readonly events: WorkerPoolEvents,
  ) {}

  start(): void {
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  private spawn(): void {
    const id = this.nextId++;
    const child = fork(ENTRY, [], {
      cwd: PACKAGE_DIR,
      execArgv: ["--import", "tsx"],
      serialization: "advanced",
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2", ...this.env },
      stdio: ["ignore", "inherit", "pipe", "ipc"],
    });
    forwardStderr(child);
    // Training is batch work: a lowest priority (nice 19) keeps the API answering promptly while the
    // worker's TensorFlow threads fill every core.
    if (child.pid) {
      try {
        setPriority(child.pid, WORKER_NICENESS);
      } catch {}
    }
    const state: WorkerState = { id, pid: child.pid, ready: false };
    this.workers.set(id, { state, child });
    child.on("message", (message: FromWorker) => {
      if (message.type === "ready") {
        state.ready = true;
        state.backend = message.backend;
      }
      this.events.onMessage(state, message);
    });
    child.on("exit", (code, signal) => {
      this.workers.delete(id);
      const runId = state.runId;
      state.runId = undefined;
      this.events.onExit(state, runId, signal ? `signal ${signal}` : `exit code ${code}`);
      if (!this.closing && code !== 3) this.spawn();
    });
  }

  list(): WorkerState[] {
    return [...this.workers.values()].map((w) => w.state);
  }

  idle(): WorkerState | undefined {
    return this.list().find((w) => w.ready && !w.runId);
  }

  send(worker: WorkerState, message: ToWorker): void {
    if (message.type === "run") worker.runId = message.runId;
    this.workers.get(worker.id)?.child.send(message);
  }

  /** The worker training a run, if any. */
  workerOf(runId: string): WorkerState | undefined {
    return this.list().find((w) => w.runId === runId);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.workers.values()].map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
  }
}
