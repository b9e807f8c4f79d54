// Every key of the dashboard's query cache, in one place: a page that reads a resource and one that changes it
// (and must invalidate it) name it the same way. Keys are prefixes of each other where invalidating the shorter
// one must refetch the longer ones (["runs"] refetches every page of the run list).
import type { SweepPlotKind } from "@sweeplab/sdk";

export const queryKeys = {
  openapi: ["openapi"],
  status: ["status"],
  /** Every run listing (the runs pages and the compare picker). */
  runs: ["runs"],
  runsPage: (filter: object, cursor: string | undefined) => ["runs", filter, cursor],
  runsComparePicker: ["runs", "compare-picker"],
  run: (id: string) => ["run", id],
  metrics: (runId: string) => ["metrics", runId],
  evaluation: (runId: string) => ["evaluation", runId],
  /** Every sweep listing. */
  sweeps: ["sweeps"],
  sweep: (id: string) => ["sweep", id],
  sweepPlot: (id: string, kind: SweepPlotKind, version: string) => ["sweep", id, "plot", kind, version],
  /** A page of a sweep's leaderboard or trial runs, as of the sweep's `version`. */
  sweepLeaderboardPage: (id: string, page: number, version: string) => [
    "sweep",
    id,
    "leaderboard",
    page,
    version,
  ],
  sweepTrialsPage: (id: string, page: number, version: string) => ["sweep", id, "trials", page, version],
} as const;
