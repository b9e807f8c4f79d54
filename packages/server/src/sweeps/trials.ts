// A sweep's trials as the store holds them (runs with a sweep id, trial and repeat index), read into the shapes
// the samplers, the leaderboard, the rules and the plots take. Pure functions over store rows.
import {
  type CompletedTrial,
  type MultiObjectiveTrial,
  TERMINAL_STATUSES,
  type TrialParams,
  type TrialResults,
} from "@sweeplab/core";
import type { MetricRecord, SweepRunRow } from "../store/store.ts";
import { multiObjectiveTrial, specObjectives } from "./objective-results.ts";
import type { SweepSpec } from "./sweep-spec.ts";

/** What the sampler saw when it proposed a trial: recorded with every run of the trial. */
export interface TrialRecord {
  params: TrialParams;
  /** Indices of the trials complete at proposal time (TPE's history), so the proposal can be repeated. */
  history: number[];
}

export interface Trial {
  index: number;
  params: TrialParams;
  history: number[];
  runs: SweepRunRow[];
  /** Every repeat ended. */
  done: boolean;
  /** A repeat failed or diverged: a failure of the configuration. */
  failed: boolean;
  /** Mean of the repeats' metric; null without a result for every repeat. */
  value: number | null;
  /** Per repeat, its metric (null without a result). */
  values: (number | null)[];
  /** Per repeat, every objective metric (null without a result); empty unless the sweep has objectives. */
  results: (TrialResults | null)[];
  finishedAt: number | null;
}

const isTerminal = (run: SweepRunRow) => TERMINAL_STATUSES.includes(run.status);

/** The metric of one finished run, or null (not succeeded, or no validation split for a validation metric). */
export function runMetric(
  run: SweepRunRow,
  evals: readonly Pick<MetricRecord, "validationAccuracy" | "validationLoss">[],
  spec: SweepSpec,
): number | null {
  if (run.status !== "succeeded") return null;
  if (spec.metric === "testAccuracy") return run.testAccuracy;
  const last = evals.at(-1);
  return (spec.metric === "validationAccuracy" ? last?.validationAccuracy : last?.validationLoss) ?? null;
}

/**
 * Seeds every config gets when it is proposed: `repeats`, or one with adaptive repeats (racing adds the others,
 * adaptive-repeats.ts).
 */
export function initialRepeats(spec: SweepSpec): number {
  return spec.adaptiveRepeats ? 1 : spec.repeats;
}

/**
 * The runs grouped into trials. `resultsByRun` holds each succeeded run's objective results (objective-results.ts):
 * read only for a sweep with two or more objectives, whose trials then carry them.
 */
export function groupTrials(
  runs: readonly SweepRunRow[],
  evalsByRun: ReadonlyMap<string, readonly Pick<MetricRecord, "validationAccuracy" | "validationLoss">[]>,
  spec: SweepSpec,
  resultsByRun: ReadonlyMap<string, TrialResults> = new Map(),
): Trial[] {
  const byIndex = new Map<number, SweepRunRow[]>();
  for (const run of runs) {
    if (run.trialIndex === null) continue;
    const group = byIndex.get(run.trialIndex);
    if (group) group.push(run);
    else byIndex.set(run.trialIndex, [run]);
  }
  const withObjectives = specObjectives(spec) !== null;
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, trialRuns]) => {
      const record = trialRuns[0]!.trial as TrialRecord;
      const values = trialRuns.map((r) => runMetric(r, evalsByRun.get(r.id) ?? [], spec));
      const done = trialRuns.length >= initialRepeats(spec) && trialRuns.every(isTerminal);
      const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
      return {
        index,
        params: record.params,
        history: record.history,
        runs: trialRuns,
        done,
        failed: trialRuns.some((r) => r.status === "failed" || r.status === "diverged"),
        value:
          done && finite.length === trialRuns.length
            ? finite.reduce((a, b) => a + b, 0) / finite.length
            : null,
        values,
        results: withObjectives
          ? trialRuns.map((r) => (r.status === "succeeded" ? (resultsByRun.get(r.id) ?? null) : null))
          : [],
        finishedAt: done ? Math.max(...trialRuns.map((r) => r.finishedAt ?? 0)) : null,
      };
    });
}

/** The trials complete now, as the samplers take them. */
export function completedTrials(trials: readonly Trial[]): CompletedTrial[] {
  return trials.filter((t) => t.done).map((t) => ({ trialIndex: t.index, params: t.params, value: t.value }));
}

/** The trials complete now, as MOTPE takes them: each objective's mean over the trial's runs. */
export function completedMultiObjectiveTrials(
  trials: readonly Trial[],
  spec: SweepSpec,
): MultiObjectiveTrial[] {
  const objectives = specObjectives(spec) ?? [];
  return trials.filter((t) => t.done).map((t) => multiObjectiveTrial(t, objectives));
}

/** How many trials in a row, most recent last, ended as a failure of their configuration. */
export function consecutiveFailures(trials: readonly Trial[]): number {
  const ended = trials.filter((t) => t.done).sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
  let count = 0;
  for (let i = ended.length - 1; i >= 0 && ended[i]!.failed; i--) count += 1;
  return count;
}

export function evalsByRun(
  metrics: readonly (MetricRecord & { runId: string })[],
): Map<string, MetricRecord[]> {
  const byRun = new Map<string, MetricRecord[]>();
  for (const m of metrics) {
    const rows = byRun.get(m.runId);
    if (rows) rows.push(m);
    else byRun.set(m.runId, [m]);
  }
  return byRun;
}
