// `pnpm --filter @sweeplab/server exec tsx src/scripts/bench-sweep-reads.ts`: what reading a 10,000-trial sweep
// costs the service's event loop, per read (SQLite, a fresh file; the fixture of test-support/large-sweep.ts):
//   - the sweep's fingerprint and run versions (store/sweep-reads.ts), read before every use of its state, with the
//     covering index `runs_sweep_versions` and with it dropped;
//   - the estimated finish computed from every attempt (estimateFinish) against the pace the state keeps per
//     version with the clock applied (finishAt);
//   - the grouping of every run into trials that each scheduler pass over a running sweep made (groupTrials).
// BENCH_READS (default 50) reads each; medians and p95. Prints one JSON line.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openStore } from "../store/open.ts";
import type { Store } from "../store/store.ts";
import { estimateFinish, finishAt } from "../sweeps/estimate-finish.ts";
import type { SweepSpec } from "../sweeps/sweep-spec.ts";
import { SweepStates } from "../sweeps/sweep-states.ts";
import { groupTrials } from "../sweeps/trials.ts";
import { insertLargeSweep } from "../test-support/large-sweep.ts";

const READS = Number(process.env.BENCH_READS ?? 50);
const SWEEP = "swp_reads_10k";

async function timed(fn: () => unknown): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < READS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]! * 100) / 100;
  return { p50: at(0.5), p95: at(0.95) };
}

const file = join(mkdtempSync(join(tmpdir(), "sweeplab-bench-reads-")), "store.sqlite");
let store: Store = await openStore(`file:${file}`);
await insertLargeSweep(store, { id: SWEEP, trials: 10_000, evals: 20, active: 16 });
const indexed = {
  fingerprint: await timed(() => store.sweepRunsFingerprint(SWEEP)),
  runVersions: await timed(() => store.sweepRunVersions(SWEEP)),
};
const sweep = (await store.getSweep(SWEEP))!;
const spec = sweep.spec as SweepSpec;
const state = await new SweepStates(store).get(sweep);
const estimate = {
  fromEveryAttempt: await timed(() => estimateFinish(sweep, spec, state.allRuns(), Date.now())),
  fromKeptPace: await timed(() => finishAt(state.finishPace(sweep), sweep, spec, Date.now())),
};
const schedulerGrouping = await timed(() =>
  groupTrials(state.runs(), state.lastEvals(), spec, state.objectiveResults()),
);
await store.close();
// The same reads without the index (as before the migration that added it).
const raw = new Database(file);
raw.exec("DROP INDEX runs_sweep_versions");
raw.close();
store = await openStore(`file:${file}`);
const unindexed = {
  fingerprint: await timed(() => store.sweepRunsFingerprint(SWEEP)),
  runVersions: await timed(() => store.sweepRunVersions(SWEEP)),
};
await store.close();
console.log(
  JSON.stringify({ trials: 10_000, reads: READS, ms: { indexed, unindexed, estimate, schedulerGrouping } }),
);
