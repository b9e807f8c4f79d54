// The registry of worker processes: each upserts itself with a heartbeat and removes itself when it stops.
import { asc, eq } from "drizzle-orm";
import { deleteWhere, insert, type Job, select } from "./statements.ts";
import type { NewWorker, WorkerRecord } from "./store.ts";

export function upsertWorker(worker: NewWorker, now: number): Job<void> {
  const { id: _id, ...rest } = worker;
  return insert(
    "workers",
    { ...worker, heartbeatAt: now },
    { target: (t) => [t.workers.id], set: { ...rest, heartbeatAt: now } },
  );
}

export function listWorkers(): Job<WorkerRecord[]> {
  return select("workers", { orderBy: (t) => [asc(t.workers.startedAt)] });
}

export function removeWorker(id: string): Job<void> {
  return deleteWhere("workers", (t) => eq(t.workers.id, id));
}
