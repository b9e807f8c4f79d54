// A sweep as one file (the contract's SweepExport): its spec, and per trial its runs with their configs,
// statuses, attempts, where they trained, every metric row and event the store keeps. No weights, no checkpoints.
import { createRequire } from "node:module";
import {
  type RunEvent,
  SWEEP_EXPORT_FORMAT,
  SWEEP_EXPORT_VERSION,
  type SweepExport,
  type SweepExportRun,
  type SweepExportTrial,
} from "@sweeplab/contract";
import type { RunRecord, Store, StoredEvent, SweepRecord } from "../../store/store.ts";

/** The service that writes the file, as `exportedBy` names it. */
export const SERVICE_VERSION = (
  createRequire(import.meta.url)("../../../package.json") as { version: string }
).version;

/** Events read per query: a run's whole history is read page by page. */
const EVENT_PAGE = 1000;

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

async function allEvents(store: Store, runId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (;;) {
    const page = await store.eventsAfter(runId, events.at(-1)?.seq ?? 0, EVENT_PAGE);
    events.push(...page);
    if (page.length < EVENT_PAGE) return events;
  }
}

/** A run where the store records trial attempts (re-runs of a trial repeat); older stores have none. */
type Attempted = RunRecord & { trialAttempt?: number; retryOf?: string | null };

async function exportRun(store: Store, run: Attempted): Promise<SweepExportRun> {
  const [metrics, events] = await Promise.all([store.metrics(run.id), allEvents(store, run.id)]);
  return {
    id: run.id,
    name: run.name,
    tags: run.tags,
    repeatIndex: run.repeatIndex ?? 0,
    trialAttempt: run.trialAttempt ?? 0,
    retryOf: run.retryOf ?? null,
    seed: run.config.seed,
    status: run.status,
    attempts: run.attempts,
    step: run.step,
    totalSteps: run.totalSteps,
    config: run.config,
    testAccuracy: run.testAccuracy,
    testLoss: run.testLoss,
    bestValidationAccuracy: run.bestValidationAccuracy,
    msPerStep: run.msPerStep,
    errorCode: run.errorCode,
    errorMessage: run.errorMessage,
    environment: run.environment,
    datasetShape: run.datasetShape,
    evaluation: run.evaluation,
    createdAt: iso(run.createdAt),
    startedAt: isoOrNull(run.startedAt),
    finishedAt: isoOrNull(run.finishedAt),
    metrics,
    events: events.map((e) => ({
      seq: e.seq,
      createdAt: iso(e.createdAt),
      event: { type: e.type, ...e.data } as RunEvent,
    })),
  };
}

/** The sweep's export file, read from the store as it is now (a running sweep exports as a snapshot). */
export async function exportSweep(store: Store, sweep: SweepRecord): Promise<SweepExport> {
  const runs = await store.sweepRuns(sweep.id);
  const trials = new Map<number, SweepExportTrial>();
  for (const run of runs) {
    if (run.trialIndex === null) continue;
    const exported = await exportRun(store, run);
    const trial = trials.get(run.trialIndex);
    if (trial) trial.runs.push(exported);
    else {
      // The trial's record as its sampler wrote it (params, history and whatever else it keeps).
      const record = run.trial as { params: Record<string, unknown>; history: number[] };
      trials.set(run.trialIndex, { ...record, index: run.trialIndex, runs: [exported] });
    }
  }
  return {
    format: SWEEP_EXPORT_FORMAT,
    version: SWEEP_EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    exportedBy: { name: "sweeplab", version: SERVICE_VERSION },
    sweep: {
      id: sweep.id,
      name: sweep.name,
      status: sweep.status,
      stopReason: sweep.stopReason,
      createdAt: iso(sweep.createdAt),
      finishedAt: isoOrNull(sweep.finishedAt),
      spec: sweep.spec as SweepExport["sweep"]["spec"],
    },
    trials: [...trials.values()].sort((a, b) => a.index - b.index),
  };
}
