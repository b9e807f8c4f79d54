// What the sweep endpoints answer: the sweep with its trials, leaderboard, best config and importance, and the
// data its plots draw. The service computes it from each sweep's incremental state (sweep-state.ts); the full
// computation from the store (buildSweepReport) is the reference the incremental one is tested against.
import {
  applyParameters,
  buildLeaderboard,
  type LeaderboardEntry,
  type ParameterImportance,
  parameterImportance,
  parseRunConfig,
  type RunConfig,
  type TrialParams,
  type TrialResults,
} from "@sweeplab/core";
import type { Store, SweepRecord, SweepRunRow } from "../store/store.ts";
import { latestAttempts } from "./attempts.ts";
import { estimateFinish, finishAt } from "./estimate-finish.ts";
import { resultsByRun } from "./objective-results.ts";
import { buildSweepPareto, markFront, type SweepParetoReport } from "./pareto-report.ts";
import type { PlotTrial } from "./plots.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import type { SweepStates } from "./sweep-states.ts";
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
  run: SweepRunRow,
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

/** What a sweep's results say: derived from its trial rows alone, the same way on every path. */
export interface SweepResults {
  leaderboard: LeaderboardEntry[];
  best: { params: Record<string, unknown>; config: RunConfig; mean: number | null } | null;
  importance: ParameterImportance[];
  /** A sweep with two or more objectives: every config's objective means and whether it is on the front. */
  pareto: SweepParetoReport | null;
}

export interface SweepReport extends SweepResults {
  sweep: SweepRecord;
  spec: SweepSpec;
  trials: TrialRow[];
  /** Every trial for the plots; `curve` is filled only where a plot needs it (routes/sweeps/plot.ts). */
  plotTrials: PlotTrial[];
  /** Epoch ms (estimate-finish.ts); null once ended or before any trial run finished. */
  estimatedFinishAt?: number | null;
}

/**
 * Leaderboard, best config, importance and (with two or more objectives) the Pareto front from the trial rows (in
 * trial and repeat order) and each succeeded run's objective results.
 */
export function deriveResults(
  spec: SweepSpec,
  rows: readonly TrialRow[],
  objectiveResults: ReadonlyMap<string, TrialResults> = new Map(),
): SweepResults {
  const pareto = buildSweepPareto(spec, rows, objectiveResults);
  const leaderboard = markFront(
    buildLeaderboard(
      rows.map((r) => ({ id: r.runId, params: r.params, value: r.value })),
      { direction: spec.direction },
    ),
    pareto,
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
  return { leaderboard, best, importance, pareto };
}

/** The plots' view of each trial run, without curves. */
export function plotTrialsOf(rows: readonly TrialRow[]): PlotTrial[] {
  return rows.map((r) => ({
    index: r.trialIndex,
    runId: r.runId,
    params: r.params,
    value: r.value,
    status: r.status,
    curve: [],
  }));
}

/**
 * The report computed from scratch: every run and every evaluation of the sweep read from the store (curves
 * included). The service answers from the incremental state instead (sweepReport); this stays the reference it is
 * tested against, and serves whoever needs every curve (an export).
 */
export async function buildSweepReport(store: Store, sweep: SweepRecord): Promise<SweepReport> {
  const spec = sweep.spec as SweepSpec;
  // Each trial repeat counts once, by its latest attempt; the estimate reads every attempt's duration.
  const allRuns = await store.sweepRuns(sweep.id);
  const runs = latestAttempts(allRuns);
  const evals = evalsByRun(await store.sweepMetrics(sweep.id));
  const results = resultsByRun(spec, runs, evals);
  const trials = groupTrials(runs, evals, spec, results);
  const rows = trials.flatMap((t) =>
    t.runs.map((run, i) => toTrialRow(run, t.params, t.values[i] ?? null, i)),
  );
  const plotTrials = plotTrialsOf(rows).map((t) => ({
    ...t,
    curve: (evals.get(t.runId!) ?? []).flatMap((m) =>
      m.validationAccuracy === null ? [] : [{ step: m.step, value: m.validationAccuracy }],
    ),
  }));
  const estimatedFinishAt = estimateFinish(sweep, spec, allRuns, Date.now());
  return { sweep, spec, trials: rows, ...deriveResults(spec, rows, results), plotTrials, estimatedFinishAt };
}

/** The report from the sweep's incremental state (no curves: a plot that draws them loads the few it shows). */
export async function sweepReport(states: SweepStates, sweep: SweepRecord): Promise<SweepReport> {
  const state = await states.get(sweep);
  const rows = state.rows();
  let plotTrials: PlotTrial[] | undefined;
  return {
    sweep,
    spec: sweep.spec as SweepSpec,
    trials: rows,
    ...state.resultsOf(sweep),
    // Built only for a plot: most requests (a leaderboard page, the list) never read it.
    get plotTrials() {
      plotTrials ??= plotTrialsOf(rows);
      return plotTrials;
    },
    // The pace once per change of the runs or the sweep, the clock at the moment it is read; the list and the
    // sweep read it, a leaderboard page does not.
    get estimatedFinishAt() {
      return finishAt(state.finishPace(sweep), sweep, sweep.spec as SweepSpec, Date.now());
    },
  };
}
