import { type ChildProcess, fork } from "node:child_process";
import { availableParallelism, setPriority } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../log.ts";
import type { SupervisorMessage, WorkerProcessMessage } from "./worker-entry.ts";

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), "worker-entry.ts");
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Native libraries' start-up lines: TensorFlow's, printed before TF_CPP_MIN_LOG_LEVEL takes effect, and Dawn's
 * (WebGPU) note that the Vulkan loader is missing, which the worker's BACKEND_UNAVAILABLE message already names.
 * Everything else passes.
 */
const NATIVE_BANNER = [
  /^WARNING: All log messages before absl::InitializeLog\(\)/,
  /oneDNN custom operations are on/,
  /^Warning: Couldn't load Vulkan: /,
  /^\s+at operator\(\) \(.*\/dawn\//,
  /^\s*$/,
];
const WORKER_NICENESS = 19;
/** Exit code of a worker whose backend cannot start: respawning it would fail the same way. */
const EXIT_UNAVAILABLE = 3;
const MAX_BACKOFF_MS = 30_000;
/**
 * Each of `workers` local workers gets its share of the cores for TensorFlow's thread pools (TF_NUM_INTRAOP_THREADS
 * and TF_NUM_INTEROP_THREADS, read by the native backend), unless the environment already sets them: two workers
 * on two cores each running two compute threads would only fight over them.
 */
export function threadShare(workers: number, cores = availableParallelism()): Record<string, string> {
  const share = String(Math.max(1, Math.floor(cores / Math.max(1, workers))));
  return {
    TF_NUM_INTRAOP_THREADS: process.env.TF_NUM_INTRAOP_THREADS ?? share,
    TF_NUM_INTEROP_THREADS: process.env.TF_NUM_INTEROP_THREADS ?? share,
  };
}

/** A worker that lived this long resets the respawn backoff. */
const HEALTHY_AFTER_MS = 60_000;

function forwardStderr(child: ChildProcess): void {
  let partial = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (!NATIVE_BANNER.some((p) => p.test(line))) process.stderr.write(`${line}\n`);
  });
}

/**
 * Supervises N training processes (not threads: a worker must be killable on its own, and TensorFlow's native
 * state is per process). Each runs in its own process group, so a terminal's Ctrl-C reaches only this parent,
 * which then stops them politely. A worker that dies is respawned, with a backoff while they keep dying.
 */
export class WorkerProcesses {
  private readonly children = new Set<ChildProcess>();
  private closing = false;
  private failures = 0;
  /** Workers that exited because their backend could not start (they are not respawned). */
  private unavailable = 0;
  private lastProblem: string | undefined;
  /** Called when a worker reports that it stored a run's terminal event (the sweep scheduler reacts at once). */
  onRunEnded: (runId: string) => void = () => {};
  /** False while the service that started these workers has not yet opened its store (see start()). */
  private storeOpen = true;
  /** Workers that asked to open the store before it was ready. */
  private readonly waiting = new Set<ChildProcess>();

  constructor(
    private readonly size: number,
    private readonly env: Record<string, string>,
    private readonly log: Logger,
  ) {}

  /** Why none of these workers can train: set once every one of them has given up on its backend. */
  get problem(): string | undefined {
    return this.size > 0 && this.unavailable >= this.size ? this.lastProblem : undefined;
  }

  /**
   * Starts the workers. With `storeReady: false` they load their code and TensorFlow at once, in parallel with the
   * service's start, but open the store only after storeReady(): the service applies its migrations and claims
   * the data folder first, and a service that fails to start has workers that never touched its store.
   */
  start(options: { storeReady?: boolean } = {}): void {
    this.storeOpen = options.storeReady ?? true;
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  /** The store is open and this service owns it: workers waiting for it may open it now. */
  storeReady(): void {
    this.storeOpen = true;
    for (const child of this.waiting) this.send(child, { type: "store-ready" });
    this.waiting.clear();
  }

  private send(child: ChildProcess, message: SupervisorMessage): void {
    // A callback: a send on a closing channel reports its error there rather than as an 'error' event.
    if (child.connected) child.send(message, undefined, {}, () => {});
  }

  get pids(): number[] {
    return [...this.children].flatMap((c) => (c.pid ? [c.pid] : []));
  }

  private spawn(): void {
    const startedAt = Date.now();
    const child = fork(ENTRY, [], {
      cwd: PACKAGE_DIR,
      execArgv: ["--import", "tsx"],
      detached: true,
      env: {
        ...process.env,
        TF_CPP_MIN_LOG_LEVEL: "2",
        ...threadShare(this.size),
        ...this.env,
        SWEEPLAB_AWAIT_STORE: this.storeOpen ? "0" : "1",
      },
      stdio: ["ignore", "inherit", "pipe", "ipc"],
    });
    forwardStderr(child);
    // Training is batch work: the lowest priority keeps the API answering promptly.
    if (child.pid) {
      try {
        setPriority(child.pid, WORKER_NICENESS);
      } catch {}
    }
    this.children.add(child);
    child.on("message", (message: WorkerProcessMessage) => {
      if (message.type === "run-ended") return this.onRunEnded(message.runId);
      if (message.type === "await-store") {
        if (this.storeOpen) this.send(child, { type: "store-ready" });
        else this.waiting.add(child);
        return;
      }
      if (message.type !== "unavailable") return;
      this.lastProblem = message.message;
      this.unavailable += 1;
      if (this.problem) {
        this.log.error(
          { problem: this.problem },
          `BACKEND_UNAVAILABLE: ${this.problem} (no worker here can train; queued runs wait for one that can)`,
        );
      }
    });
    child.on("exit", (code, signal) => {
      this.children.delete(child);
      this.waiting.delete(child);
      if (this.closing || code === EXIT_UNAVAILABLE) return;
      this.log.warn({ pid: child.pid, code, signal }, "worker process exited");
      this.failures = Date.now() - startedAt > HEALTHY_AFTER_MS ? 0 : this.failures + 1;
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.failures);
      setTimeout(() => this.closing || this.spawn(), delay).unref();
    });
  }

  /** Asks every worker to stop (they checkpoint and hand their runs back), and kills those still there after `graceMs`. */
  /** Tells every worker that a run was queued: the idle ones claim it now instead of at their next poll. */
  claimNow(): void {
    for (const child of this.children) this.send(child, { type: "claim-now" });
  }

  async close(graceMs: number): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill("SIGTERM");
          }),
      ),
    );
  }
}
