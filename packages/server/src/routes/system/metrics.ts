import { RUN_STATUSES } from "@sweeplab/core";
import { Gauge, Registry } from "prom-client";
import type { App, AppDeps } from "../../app-types.ts";

/**
 * `GET /metrics` in Prometheus' text format. Everything is read from the store at scrape time, so the figures
 * cover runs and workers on every host that shares it.
 */
export function registerMetricsRoute(app: App, deps: AppDeps) {
  const registry = new Registry();
  const runsByStatus = new Gauge({
    name: "sweeplab_runs",
    help: "Runs in the store, by status",
    labelNames: ["status"],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: "sweeplab_queue_depth",
    help: "Runs waiting for a worker",
    registers: [registry],
  });
  const stepSeconds = new Gauge({
    name: "sweeplab_run_step_seconds",
    help: "Latest median seconds per training step of each running run",
    labelNames: ["run_id"],
    registers: [registry],
  });
  const heartbeatAge = new Gauge({
    name: "sweeplab_worker_heartbeat_age_seconds",
    help: "Seconds since each registered worker's last heartbeat",
    labelNames: ["worker_id", "host"],
    registers: [registry],
  });

  app.get("/metrics", async (c) => {
    const [counts, workers, running] = await Promise.all([
      deps.store.countRunsByStatus(),
      deps.store.listWorkers(),
      deps.store.listRuns({ status: "running", sort: "created", limit: 200 }),
    ]);
    for (const status of RUN_STATUSES) runsByStatus.set({ status }, counts[status]);
    queueDepth.set(counts.queued);
    stepSeconds.reset();
    for (const run of running)
      if (run.msPerStep !== null) stepSeconds.set({ run_id: run.id }, run.msPerStep / 1000);
    heartbeatAge.reset();
    const now = Date.now();
    for (const w of workers)
      heartbeatAge.set({ worker_id: w.id, host: w.host }, (now - w.heartbeatAt) / 1000);
    return c.body(await registry.metrics(), 200, { "Content-Type": registry.contentType });
  });
}
