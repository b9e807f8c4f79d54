// `warmStartFrom`: the earlier sweep's finished trials become the new sweep's sampler history where their
// parameters still fit the new space. Read once, at creation, into the stored spec: the new sweep proposes the
// same trials after a restart, and even after the earlier sweep is deleted.
import { warmStartHistory } from "@sweeplab/core";
import { DomainError } from "../domain-error.ts";
import type { Store } from "../store/store.ts";
import { latestAttempts } from "./attempts.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import { completedTrials, evalsByRun, groupTrials } from "./trials.ts";

export async function resolveWarmStart(store: Store, spec: SweepSpec, sourceId: string): Promise<SweepSpec> {
  const source = await store.getSweep(sourceId);
  if (!source) throw new DomainError("INVALID_SWEEP", `warmStartFrom: no sweep ${sourceId}`);
  const sourceSpec = source.spec as SweepSpec;
  if (sourceSpec.metric !== spec.metric) {
    throw new DomainError(
      "INVALID_SWEEP",
      `warmStartFrom: sweep ${sourceId} optimised ${sourceSpec.metric}, this one ${spec.metric}: its values do not compare`,
    );
  }
  const runs = latestAttempts(await store.sweepRuns(sourceId));
  const finished = completedTrials(
    groupTrials(runs, evalsByRun(await store.sweepMetrics(sourceId)), sourceSpec),
  );
  const trials = warmStartHistory(spec.space, spec.base, finished);
  if (trials.length === 0) {
    throw new DomainError(
      "INVALID_SWEEP",
      `warmStartFrom: none of sweep ${sourceId}'s ${finished.length} finished trials fit this space`,
    );
  }
  return { ...spec, warmStart: { sweepId: sourceId, trials } };
}
