// One sweep's trial rows, kept in memory and brought up to date from the store by what changed: the store's
// fingerprint of the sweep's runs (count and sums of their event numbers) says whether anything did; if so, each
// run's event number says which runs did, and only those are read again (their trial-row columns, and the last
// evaluation of the ones that newly succeeded, and for a sweep with two or more objectives their config and
// environment, which its objective results read). The store stays the one owner: this is derived from it, checked
// against it before every use, and never written by anyone else. Leaderboard, best config, importance and the Pareto
// front are derived once per change of results (report.ts), not once per request.
import type { TrialResults } from "@sweeplab/core";
import type { MetricRecord, Store, SweepRecord, SweepRunRow, SweepRunsFingerprint } from "../store/store.ts";
import { latestAttempts } from "./attempts.ts";
import { type FinishPace, finishPace } from "./estimate-finish.ts";
import { type ObjectiveRun, runResults, specObjectives } from "./objective-results.ts";
import { deriveResults, type SweepResults, type TrialRow, toTrialRow } from "./report.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import { runMetric, type TrialRecord } from "./trials.ts";

type LastEval = Pick<MetricRecord, "validationAccuracy" | "validationLoss">;

interface Entry {
  run: SweepRunRow;
  /** The run's last evaluation, read once when it succeeded. */
  lastEval: LastEval | undefined;
  /** A multi-objective sweep's succeeded run: its result on every objective metric, read once. */
  results: TrialResults | undefined;
  row: TrialRow;
  /** The state's version when this row last changed. */
  version: number;
}

const sameFingerprint = (a: SweepRunsFingerprint | undefined, b: SweepRunsFingerprint) =>
  a !== undefined && a.runs === b.runs && a.seqSum === b.seqSum && a.createdSum === b.createdSum;

const sameRow = (a: TrialRow, b: TrialRow) =>
  a.status === b.status &&
  a.step === b.step &&
  a.value === b.value &&
  a.msPerStep === b.msPerStep &&
  a.error === b.error &&
  a.trialIndex === b.trialIndex &&
  a.repeatIndex === b.repeatIndex &&
  a.totalSteps === b.totalSteps;

/**
 * What is derived from a sweep's runs reads of its own record: its status, spec, and when it last started, resumed
 * or was retried. With a state's version (or change key), a key for such a derivation.
 */
export const sweepRecordKey = (sweep: SweepRecord) =>
  `${sweep.status}|${sweep.startedAt}|${sweep.resumedAt}|${sweep.retryAt}|${JSON.stringify(sweep.spec)}`;

const byTrial = (a: TrialRow, b: TrialRow) => a.trialIndex - b.trialIndex || a.repeatIndex - b.repeatIndex;

export class SweepState {
  private readonly entries = new Map<string, Entry>();
  private fingerprint: SweepRunsFingerprint | undefined;
  /** Rises whenever a row changes (status, step, value...), or a run appears or goes. */
  version = 0;
  /** Rises whenever a run's params or value change, or a run appears or goes: what the leaderboard depends on. */
  private resultsVersion = 0;
  /** Each trial repeat's latest attempt (earlier attempts, re-run, are kept but no longer count). */
  private latest: { version: number; entries: Entry[] } | undefined;
  private sortedRows: { version: number; rows: TrialRow[] } | undefined;
  private results: { version: number; results: SweepResults } | undefined;
  private objectiveResultsCache: { version: number; results: Map<string, TrialResults> } | undefined;
  private pace: { key: string; pace: FinishPace | null } | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  /** Store reads made, for tests: an unchanged sweep costs one. */
  reads = 0;

  constructor(
    readonly sweepId: string,
    private readonly store: Store,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Changes with every write to the sweep's runs seen by the last refresh (a key for what is derived from them). */
  get changeKey(): string {
    const f = this.fingerprint;
    return f ? `${f.runs}:${f.seqSum}:${f.createdSum}` : "";
  }

  /**
   * Brings the rows up to date with the store. A call made while a refresh runs waits for the next one, which
   * starts after it (so it sees every write that committed before the call); calls made meanwhile share it.
   */
  refresh(spec: SweepSpec): Promise<void> {
    if (!this.running) {
      this.running = this.load(spec).finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => {})
      .then(() => {
        this.queued = undefined;
        return this.refresh(spec);
      });
    return this.queued;
  }

  private async load(spec: SweepSpec): Promise<void> {
    this.reads += 1;
    const fingerprint = await this.store.sweepRunsFingerprint(this.sweepId);
    if (sameFingerprint(this.fingerprint, fingerprint)) return;
    this.reads += 1;
    const versions = await this.store.sweepRunVersions(this.sweepId);
    const present = new Set<string>();
    const changed: string[] = [];
    for (const { id, lastSeq } of versions) {
      present.add(id);
      if (this.entries.get(id)?.run.lastSeq !== lastSeq) changed.push(id);
    }
    const gone = [...this.entries.keys()].filter((id) => !present.has(id));
    const runs = changed.length > 0 ? await this.readRuns(changed) : [];
    const lastEvals = await this.readLastEvals(runs, spec);
    const objectiveInputs = await this.readObjectiveInputs(runs, spec);
    let rowsChanged = gone.length > 0;
    let resultsChanged = gone.length > 0;
    const version = this.version + 1;
    for (const id of gone) this.entries.delete(id);
    for (const run of runs) {
      if (run.trialIndex === null) continue;
      const params = (run.trial as TrialRecord).params;
      const entry = this.entries.get(run.id);
      const lastEval = lastEvals.get(run.id) ?? (run.status === "succeeded" ? entry?.lastEval : undefined);
      const row = toTrialRow(run, params, runMetric(run, lastEval ? [lastEval] : [], spec), 0);
      const inputs = objectiveInputs.get(run.id);
      const results =
        run.status !== "succeeded"
          ? undefined
          : inputs
            ? (runResults({ ...run, ...inputs }, lastEval ? [lastEval] : []) ?? undefined)
            : entry?.results;
      if (entry && sameRow(entry.row, row) && entry.results === results) {
        entry.run = run;
        entry.lastEval = lastEval;
        continue;
      }
      rowsChanged = true;
      if (!entry || entry.row.value !== row.value || entry.results !== results) resultsChanged = true;
      this.entries.set(run.id, { run, lastEval, results, row, version });
    }
    if (rowsChanged) this.version = version;
    if (resultsChanged) this.resultsVersion += 1;
    this.fingerprint = fingerprint;
  }

  private async readRuns(ids: string[]): Promise<SweepRunRow[]> {
    this.reads += 1;
    return this.store.sweepRunRows(this.sweepId, ids);
  }

  /** The last evaluation of each run that succeeded (its metric, unless the metric is test accuracy). */
  private async readLastEvals(runs: SweepRunRow[], spec: SweepSpec): Promise<Map<string, LastEval>> {
    const last = new Map<string, LastEval>();
    const succeeded = runs.filter((r) => r.status === "succeeded");
    if (succeeded.length === 0 || (spec.metric === "testAccuracy" && !specObjectives(spec))) return last;
    this.reads += 1;
    for (const e of await this.store.lastEvals(succeeded.map((r) => r.id))) {
      last.set(e.runId, { validationAccuracy: e.validationAccuracy, validationLoss: e.validationLoss });
    }
    return last;
  }

  /** A multi-objective sweep's succeeded runs' config and environment (nothing for any other sweep). */
  private async readObjectiveInputs(
    runs: SweepRunRow[],
    spec: SweepSpec,
  ): Promise<Map<string, Pick<ObjectiveRun, "config" | "environment">>> {
    const inputs = new Map<string, Pick<ObjectiveRun, "config" | "environment">>();
    const succeeded = runs.filter((r) => r.status === "succeeded");
    if (succeeded.length === 0 || !specObjectives(spec)) return inputs;
    this.reads += 1;
    const rows = await this.store.sweepRunObjectiveInputs(
      this.sweepId,
      succeeded.map((r) => r.id),
    );
    for (const { id, config, environment } of rows) inputs.set(id, { config, environment });
    return inputs;
  }

  /** The entries of each trial repeat's latest attempt. */
  private latestEntries(): Entry[] {
    if (this.latest?.version !== this.version) {
      const entries = latestAttempts([...this.entries.values()].map((e) => e.run)).map(
        (run) => this.entries.get(run.id)!,
      );
      this.latest = { version: this.version, entries };
    }
    return this.latest.entries;
  }

  /** Every trial run's row (each trial repeat's latest attempt), by trial and repeat index. */
  rows(): TrialRow[] {
    if (this.sortedRows?.version !== this.version) {
      const rows = this.latestEntries()
        .map((e) => e.row)
        .sort(byTrial);
      this.sortedRows = { version: this.version, rows };
    }
    return this.sortedRows.rows;
  }

  /** Rows that changed after `version` (by trial and repeat index; latest attempts only). */
  changedSince(version: number): TrialRow[] {
    const rows: TrialRow[] = [];
    for (const entry of this.latestEntries()) if (entry.version > version) rows.push(entry.row);
    return rows.sort(byTrial);
  }

  /** Every run of the sweep, every attempt (budgets and the estimated finish count them all). */
  allRuns(): SweepRunRow[] {
    return [...this.entries.values()].map((e) => e.run);
  }

  /** Leaderboard, best config and importance, derived once per change of results. */
  resultsOf(sweep: SweepRecord): SweepResults {
    if (this.results?.version !== this.resultsVersion) {
      this.results = {
        version: this.resultsVersion,
        results: deriveResults(sweep.spec as SweepSpec, this.rows(), this.objectiveResults()),
      };
    }
    return this.results.results;
  }

  /**
   * The sweep's pace (estimate-finish.ts: every attempt's times), once per version of its runs and of its record;
   * a reader applies the clock. At 10,000 trials it took every read of the sweep 7-9 ms (src/scripts/bench-sweep-reads.ts).
   */
  finishPace(sweep: SweepRecord): FinishPace | null {
    const key = `${this.version}|${sweepRecordKey(sweep)}`;
    if (this.pace?.key !== key)
      this.pace = { key, pace: finishPace(sweep, sweep.spec as SweepSpec, this.allRuns()) };
    return this.pace.pace;
  }

  /** Each succeeded run's objective results (a multi-objective sweep's; empty otherwise). */
  objectiveResults(): Map<string, TrialResults> {
    if (this.objectiveResultsCache?.version !== this.resultsVersion) {
      const results = new Map<string, TrialResults>();
      for (const [id, entry] of this.entries) if (entry.results) results.set(id, entry.results);
      this.objectiveResultsCache = { version: this.resultsVersion, results };
    }
    return this.objectiveResultsCache.results;
  }

  /** The runs as the scheduler groups them into trials (lean rows: no config, no lease). */
  runs(): SweepRunRow[] {
    return this.rows().map((row) => this.entries.get(row.runId)!.run);
  }

  /** Each succeeded run's last evaluation, as the scheduler's grouping into trials reads it. */
  lastEvals(): Map<string, LastEval[]> {
    const evals = new Map<string, LastEval[]>();
    for (const [id, entry] of this.entries) if (entry.lastEval) evals.set(id, [entry.lastEval]);
    return evals;
  }
}
