// The one Store implementation: each method runs its job (runs.ts, queue.ts, events.ts, artifacts.ts, workers.ts,
// sweeps.ts) through the dialect's driver, in one transaction where it changes more than one row or reads before
// it writes. The drivers (sqlite.ts, postgres.ts) hold what truly differs: connections, locks, sync or async.
import * as artifacts from "./artifacts.ts";
import { insertSweepRecords } from "./bulk-insert.ts";
import * as events from "./events.ts";
import { importSweep } from "./import-sweep.ts";
import * as queue from "./queue.ts";
import * as runs from "./runs.ts";
import type { Job } from "./statements.ts";
import type { Store } from "./store.ts";
import * as sweepReads from "./sweep-reads.ts";
import * as sweeps from "./sweeps.ts";
import * as workers from "./workers.ts";

/** What a dialect provides: a way to run a job, alone or as one transaction. */
export interface Driver {
  readonly dialect: Store["dialect"];
  readonly location: string;
  run<T>(job: Job<T>, transaction: "transaction" | "statements"): Promise<T>;
  close(): Promise<void>;
}

export function createSqlStore(driver: Driver): Store {
  const tx = <T>(job: Job<T>) => driver.run(job, "transaction");
  const statements = <T>(job: Job<T>) => driver.run(job, "statements");
  const now = Date.now;
  return {
    dialect: driver.dialect,
    location: driver.location,
    createRun: (input) => tx(runs.createRun(input, now())),
    getRun: (id) => statements(runs.getRun(id)),
    getRunByIdempotencyKey: (key) => statements(runs.getRunByIdempotencyKey(key)),
    listRuns: (query) => statements(runs.listRuns(query)),
    countRunsByStatus: () => statements(runs.countRunsByStatus()),
    deleteRun: (id) => statements(runs.deleteRun(id)),
    requestCancel: (id, reason) => tx(runs.requestCancel(id, reason, now())),
    appendEvent: (runId, event, options = {}) => tx(events.appendEvent(runId, event, options, now())),
    eventsAfter: (runId, afterSeq, limit) => statements(events.pickEventsAfter(runId, afterSeq, limit)),
    metrics: (runId, page = {}) => statements(events.pickMetrics(runId, page)),
    claimRun: (worker, leaseMs) => tx(queue.claimRun(worker, leaseMs, now())),
    claimQueuedRun: (worker, runId, leaseMs) => tx(queue.claimQueuedRun(worker, runId, leaseMs, now())),
    renewLease: (runId, owner, leaseMs) => statements(queue.renewLease(runId, owner, leaseMs, now())),
    releaseRun: (runId, owner, reason) => tx(queue.releaseRun(runId, owner, reason, now())),
    requeueExpired: (maxAttempts) => tx(queue.requeueExpired(maxAttempts, now())),
    putArtifact: (runId, kind, step, bytes) =>
      statements(artifacts.putArtifact(runId, kind, step, bytes, now())),
    getArtifact: (runId, kind) => statements(artifacts.getArtifact(runId, kind)),
    upsertWorker: (worker) => statements(workers.upsertWorker(worker, now())),
    listWorkers: () => statements(workers.listWorkers()),
    removeWorker: (id) => statements(workers.removeWorker(id)),
    createSweep: (sweep) => statements(sweeps.createSweep(sweep, now())),
    getSweep: (id) => statements(sweeps.getSweep(id)),
    listSweeps: (limit) => statements(sweeps.listSweeps(limit)),
    listRunningSweeps: (afterId, limit) => statements(sweeps.listRunningSweeps(afterId, limit)),
    endSweep: (id, end) => tx(sweeps.endSweep(id, end, now())),
    reopenSweep: (id, request) => tx(sweeps.reopenSweep(id, request, now())),
    sweepRuns: (sweepId) => statements(sweeps.sweepRuns(sweepId)),
    sweepMetrics: (sweepId) => statements(sweeps.sweepMetrics(sweepId)),
    sweepRunsFingerprint: (sweepId) => statements(sweepReads.sweepRunsFingerprint(sweepId)),
    sweepRunVersions: (sweepId) => statements(sweepReads.sweepRunVersions(sweepId)),
    sweepRunRows: (sweepId, runIds) => statements(sweepReads.sweepRunRows(sweepId, runIds)),
    sweepRunObjectiveInputs: (sweepId, runIds) =>
      statements(sweepReads.sweepRunObjectiveInputs(sweepId, runIds)),
    lastEvals: (runIds) => statements(sweepReads.lastEvals(runIds)),
    evalCurves: (runIds) => statements(sweepReads.evalCurves(runIds)),
    sweepStatusCounts: (sweepIds) => statements(sweepReads.sweepStatusCounts(sweepIds)),
    insertSweepRecords: (records) => tx(insertSweepRecords(records)),
    importSweep: (sweep) => tx(importSweep(sweep)),
    close: () => driver.close(),
  };
}
