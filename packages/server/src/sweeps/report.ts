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
} from "@sweeplab/core";
import type { Store, SweepRecord, SweepRunRow } from "../store/store.ts";
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
  };
}

/** What a sweep's results say: derived from its trial rows alone, the same way on every path. */
export interface SweepResults {
  leaderboard: LeaderboardEntry[];
  best: { params: Record<string, unknown>; config: RunConfig; mean: number | null } | null;
  importance: ParameterImportance[];
}

export interface SweepReport extends SweepResults {
  sweep: SweepRecord;
  spec: SweepSpec;
  trials: TrialRow[];
  /** Every trial for the plots; `curve` is filled only where a plot needs it (routes/sweeps/plot.ts). */
  plotTrials: PlotTrial[];
}

/** Leaderboard, best config and importance from the trial rows (in trial and repeat order). */
export function deriveResults(spec: SweepSpec, rows: readonly TrialRow[]): SweepResults {
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
  return { leaderboard, best, importance };
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
  const runs = await store.sweepRuns(sweep.id);
  const evals = evalsByRun(await store.sweepMetrics(sweep.id));
  const trials = groupTrials(runs, evals, spec);
  const rows = trials.flatMap((t) =>
    t.runs.map((run, i) => toTrialRow(run, t.params, t.values[i] ?? null, i)),
  );
  const plotTrials = plotTrialsOf(rows).map((t) => ({
    ...t,
    curve: (evals.get(t.runId!) ?? []).flatMap((m) =>
      m.validationAccuracy === null ? [] : [{ step: m.step, value: m.validationAccuracy }],
    ),
  }));
  return { sweep, spec, trials: rows, ...deriveResults(spec, rows), plotTrials };
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
  };
}
