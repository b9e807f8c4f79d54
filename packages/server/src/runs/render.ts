// Plots are drawn on a thread of their own (render-thread.mjs): a 10,000-trial sweep's plot takes vega up to a
// second of CPU, and on the API's thread every other request, stream and health check waited for it. The thread
// starts with the first drawing, holds the process open only while it draws, and has a memory limit of its own: a
// drawing that exhausts it fails alone (its request gets an error) and the next drawing starts a fresh thread.
import { Worker } from "node:worker_threads";
import type { TopLevelSpec } from "vega-lite";

type Job = { type: "svg"; spec: TopLevelSpec } | { type: "png"; svg: string };
type Reply = { id: number; svg?: string; png?: Uint8Array; error?: string };

export interface RenderThreadOptions {
  /** The thread's heap limit (V8's old generation), in MB. */
  maxHeapMb?: number;
}

export class RenderThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (reply: Reply) => void; reject: (e: Error) => void }
  >();

  constructor(private readonly options: RenderThreadOptions = {}) {}

  /** The SVG of a Vega-Lite spec. */
  async svg(spec: TopLevelSpec): Promise<string> {
    return (await this.run({ type: "svg", spec })).svg!;
  }

  /** A PNG of an SVG, at twice its size. */
  async png(svg: string): Promise<Uint8Array> {
    return (await this.run({ type: "png", svg })).png!;
  }

  /** Stops the thread; drawings in progress fail. The next drawing starts a new one. */
  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  private run(job: Job): Promise<Reply> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...job, id });
    });
  }

  private start(): Worker {
    const worker = new Worker(new URL("./render-thread.mjs", import.meta.url), {
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 1024 },
    });
    this.worker = worker;
    worker.unref();
    worker.on("message", (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error !== undefined) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply);
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const waiting = [...this.pending.values()];
      this.pending.clear();
      for (const w of waiting) w.reject(error);
    };
    worker.on("error", (error) => fail(new Error(`the plot renderer's thread failed: ${error.message}`)));
    worker.on("exit", (code) => fail(new Error(`the plot renderer's thread exited (code ${code})`)));
    return worker;
  }
}

/** The process's plot renderer. */
export const renderer = new RenderThread();
