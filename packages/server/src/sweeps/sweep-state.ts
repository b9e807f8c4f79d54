// One sweep's trial rows, kept in memory and brought up to date from the store by what changed: the store's
// fingerprint of the sweep's runs (count and sums of their event numbers) says whether anything did; if so, each
// run's event number says which runs did, and only those are read again (their trial-row columns, and the last
// evaluation of the ones that newly succeeded). The store stays the one owner: this is derived from it, checked
// against it before every use, and never written by anyone else. Leaderboard, best config and importance are
// derived once per change of results (report.ts), not once per request.
import type { MetricRecord, Store, SweepRecord, SweepRunRow, SweepRunsFingerprint } from "../store/store.ts";
import { deriveResults, type SweepResults, type TrialRow, toTrialRow } from "./report.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import { runMetric, type TrialRecord } from "./trials.ts";

type LastEval = Pick<MetricRecord, "validationAccuracy" | "validationLoss">;

interface Entry {
  run: SweepRunRow;
  /** The run's last evaluation, read once when it succeeded. */
  lastEval: LastEval | undefined;
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

const byTrial = (a: TrialRow, b: TrialRow) => a.trialIndex - b.trialIndex || a.repeatIndex - b.repeatIndex;

export class SweepState {
  private readonly entries = new Map<string, Entry>();
  private fingerprint: SweepRunsFingerprint | undefined;
  /** Rises whenever a row changes (status, step, value...), or a run appears or goes. */
  version = 0;
  /** Rises whenever a run's params or value change, or a run appears or goes: what the leaderboard depends on. */
  private resultsVersion = 0;
  private sortedRows: { version: number; rows: TrialRow[] } | undefined;
  private results: { version: number; results: SweepResults } | undefined;
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
      if (entry && sameRow(entry.row, row)) {
        entry.run = run;
        entry.lastEval = lastEval;
        continue;
      }
      rowsChanged = true;
      if (!entry || entry.row.value !== row.value) resultsChanged = true;
      this.entries.set(run.id, { run, lastEval, row, version });
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
    if (succeeded.length === 0 || spec.metric === "testAccuracy") return last;
    this.reads += 1;
    for (const e of await this.store.lastEvals(succeeded.map((r) => r.id))) {
      last.set(e.runId, { validationAccuracy: e.validationAccuracy, validationLoss: e.validationLoss });
    }
    return last;
  }

  /** Every trial run's row, by trial and repeat index. */
  rows(): TrialRow[] {
    if (this.sortedRows?.version !== this.version) {
      const rows = [...this.entries.values()].map((e) => e.row).sort(byTrial);
      this.sortedRows = { version: this.version, rows };
    }
    return this.sortedRows.rows;
  }

  /** Rows that changed after `version` (by trial and repeat index). */
  changedSince(version: number): TrialRow[] {
    const rows: TrialRow[] = [];
    for (const entry of this.entries.values()) if (entry.version > version) rows.push(entry.row);
    return rows.sort(byTrial);
  }

  /** Leaderboard, best config and importance, derived once per change of results. */
  resultsOf(sweep: SweepRecord): SweepResults {
    if (this.results?.version !== this.resultsVersion) {
      this.results = {
        version: this.resultsVersion,
        results: deriveResults(sweep.spec as SweepSpec, this.rows()),
      };
    }
    return this.results.results;
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
