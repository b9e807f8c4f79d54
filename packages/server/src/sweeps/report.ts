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
} from "@sweeplab/core";
import type { Store, SweepRecord } from "../store/store.ts";
import type { PlotTrial } from "./plots.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import { evalsByRun, groupTrials } from "./trials.ts";

export interface SweepReport {
  sweep: SweepRecord;
  spec: SweepSpec;
  trials: {
    trialIndex: number;
    repeatIndex: number;
    runId: string;
    status: string;
    params: Record<string, unknown>;
    value: number | null;
    step: number;
    totalSteps: number;
    msPerStep: number | null;
    error: string | null;
  }[];
  leaderboard: LeaderboardEntry[];
  best: { params: Record<string, unknown>; config: RunConfig; mean: number | null } | null;
  importance: ParameterImportance[];
  plotTrials: PlotTrial[];
}

export async function buildSweepReport(store: Store, sweep: SweepRecord): Promise<SweepReport> {
  const spec = sweep.spec as SweepSpec;
  const runs = await store.sweepRuns(sweep.id);
  const evals = evalsByRun(await store.sweepMetrics(sweep.id));
  const trials = groupTrials(runs, evals, spec);
  const rows = trials.flatMap((t) =>
    t.runs.map((run, i) => ({
      trialIndex: t.index,
      repeatIndex: run.repeatIndex ?? i,
      runId: run.id,
      status: run.status,
      params: t.params,
      value: t.values[i] ?? null,
      step: run.step,
      totalSteps: run.totalSteps,
      msPerStep: run.msPerStep,
      error: run.errorMessage && run.status !== "succeeded" ? `${run.errorCode}: ${run.errorMessage}` : null,
    })),
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
  return { sweep, spec, trials: rows, leaderboard, best, importance, plotTrials };
}
