// Applies a lifecycle transition (lifecycle.ts) to a run: appends its event under the next number, upserts its
// metric and writes the row changes, inside the caller's transaction.
import type { Transition } from "./lifecycle.ts";
import { runById } from "./queries.ts";
import { insert, type Job, update } from "./statements.ts";
import type { RunRecord } from "./store.ts";

/** Returns the new event's number, when the transition appends one. */
export function* applyTransition(
  run: RunRecord,
  transition: Transition,
  now: number,
): Job<number | undefined> {
  let seq: number | undefined;
  const patch = { ...transition.patch };
  if (transition.event) {
    seq = run.lastSeq + 1;
    patch.lastSeq = seq;
    const { type, ...data } = transition.event;
    yield* insert("runEvents", { runId: run.id, seq, type, data, createdAt: now });
  }
  if (transition.metric) {
    const { step: _step, kind: _kind, ...values } = transition.metric;
    yield* insert(
      "runMetrics",
      { runId: run.id, ...transition.metric },
      { target: (t) => [t.runMetrics.runId, t.runMetrics.step, t.runMetrics.kind], set: values },
    );
  }
  if (Object.keys(patch).length > 0) yield* update("runs", patch, runById(run.id));
  return seq;
}
