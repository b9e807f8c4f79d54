// What the sweep endpoints answer: the sweep with its trials, leaderboard, best config and importance, and the
// data its plots draw. Everything is computed from the store on request.
import {
  applyParameters,
  buildLeaderboard,
  type LeaderboardEntry,
  type ParameterImportance,
  parameterImportance,
  parseRunConfig,
  type RunConfig,
  type TrialParams,
} from "@sweeplab/core";
import type { RunRecord, Store, SweepRecord } from "../store/store.ts";
import { latestAttempts } from "./attempts.ts";
import { estimateFinish } from "./estimate-finish.ts";
import type { PlotTrial } from "./plots.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import { evalsByRun, groupTrials } from "./trials.ts";

/** One run of one trial, as the sweep resource lists it and its event stream sends it. */
export interface TrialRow {
  trialIndex: number;
  repeatIndex: number;
  runId: string;
  status: string;
  params: TrialParams;
  value: number | null;
  step: number;
  totalSteps: number;
  msPerStep: number | null;
  error: string | null;
  /** The trial repeat's attempt (0, then one more per re-run) and the earlier attempt it re-runs. */
  attempt?: number;
  retryOf?: string | null;
}

/** A trial run's row: `params` are its trial's, `value` its metric (null until it succeeded with one). */
export function toTrialRow(
  run: RunRecord,
  params: TrialParams,
  value: number | null,
  repeatIndex: number,
): TrialRow {
  return {
    trialIndex: run.trialIndex ?? 0,
    repeatIndex: run.repeatIndex ?? repeatIndex,
    runId: run.id,
    status: run.status,
    params,
    value,
    step: run.step,
    totalSteps: run.totalSteps,
    msPerStep: run.msPerStep,
    error: run.errorMessage && run.status !== "succeeded" ? `${run.errorCode}: ${run.errorMessage}` : null,
    attempt: run.trialAttempt,
    retryOf: run.retryOf,
  };
}

export interface SweepReport {
  sweep: SweepRecord;
  spec: SweepSpec;
  trials: TrialRow[];
  leaderboard: LeaderboardEntry[];
  best: { params: Record<string, unknown>; config: RunConfig; mean: number | null } | null;
  importance: ParameterImportance[];
  plotTrials: PlotTrial[];
  /** Epoch ms (estimate-finish.ts); null once ended or before any trial run finished. */
  estimatedFinishAt?: number | null;
}

export async function buildSweepReport(store: Store, sweep: SweepRecord): Promise<SweepReport> {
  const spec = sweep.spec as SweepSpec;
  // Each trial repeat counts once, by its latest attempt; the estimate reads every attempt's duration.
  const allRuns = await store.sweepRuns(sweep.id);
  const runs = latestAttempts(allRuns);
  const evals = evalsByRun(await store.sweepMetrics(sweep.id));
  const trials = groupTrials(runs, evals, spec);
  const rows = trials.flatMap((t) =>
    t.runs.map((run, i) => toTrialRow(run, t.params, t.values[i] ?? null, i)),
  );
  const leaderboard = buildLeaderboard(
    rows.map((r) => ({ id: r.runId, params: r.params, value: r.value })),
    { direction: spec.direction },
  );
  const top = leaderboard[0];
  const best =
    top && top.mean !== null
      ? {
          params: top.params,
          config: parseRunConfig(applyParameters(spec.base, spec.space, top.params)),
          mean: top.mean,
        }
      : null;
  const importance = parameterImportance(
    spec.space,
    rows.map((r) => ({ params: r.params, value: r.value })),
  );
  const plotTrials: PlotTrial[] = rows.map((r) => ({
    index: r.trialIndex,
    params: r.params,
    value: r.value,
    status: r.status,
    curve: (evals.get(r.runId) ?? []).flatMap((m) =>
      m.validationAccuracy === null ? [] : [{ step: m.step, value: m.validationAccuracy }],
    ),
  }));
  const estimatedFinishAt = estimateFinish(sweep, spec, allRuns, Date.now());
  return { sweep, spec, trials: rows, leaderboard, best, importance, plotTrials, estimatedFinishAt };
}
