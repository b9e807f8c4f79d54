// A sweep's report mapped to the API's resources: the summary (lists, the stream's last event) and the full sweep.
import type { z } from "@hono/zod-openapi";
import { RUN_STATUSES } from "@sweeplab/core";
import { toSweepPareto } from "../../sweeps/pareto-report.ts";
import type { SweepReport } from "../../sweeps/report.ts";
import { importedSummary } from "../../sweeps/share/import-sweep.ts";
import type { SweepSpec } from "../../sweeps/sweep-spec.ts";
import type { SweepLeaderboardPageSchema, SweepSchema, SweepSummarySchema } from "./schemas.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toSweepSummary(report: SweepReport): z.infer<typeof SweepSummarySchema> {
  const { sweep } = report;
  const spec = sweep.spec as SweepSpec;
  return {
    id: sweep.id,
    name: sweep.name,
    status: sweep.status as z.infer<typeof SweepSummarySchema>["status"],
    stopReason: sweep.stopReason,
    preset: spec.preset,
    method: spec.method,
    metric: spec.metric,
    direction: spec.direction,
    trials: spec.trials,
    parallelism: spec.parallelism,
    repeats: spec.repeats,
    adaptiveRepeats: spec.adaptiveRepeats ?? false,
    objectives: spec.objectives ?? null,
    seed: spec.seed,
    earlyStopping: spec.earlyStopping,
    runsByStatus: countStatuses(report),
    bestMean: report.best?.mean ?? null,
    createdAt: iso(sweep.createdAt)!,
    finishedAt: iso(sweep.finishedAt),
    budget: spec.budget ?? null,
    warmStartFrom: spec.warmStart?.sweepId ?? null,
    startedAt: iso(sweep.startedAt ?? sweep.createdAt),
    estimatedFinishAt: iso(report.estimatedFinishAt ?? null),
    ...importedSummary(sweep),
  };
}

function countStatuses(report: SweepReport): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0]));
  for (const t of report.trials) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
}

export function toSweepResource(
  report: SweepReport,
  limits: { leaderboardLimit?: number; trialRunsLimit?: number } = {},
): z.infer<typeof SweepSchema> {
  const { leaderboard, trials } = report;
  return {
    ...toSweepSummary(report),
    base: report.spec.base as Record<string, unknown>,
    space: report.spec.space,
    leaderboard:
      limits.leaderboardLimit === undefined ? leaderboard : leaderboard.slice(0, limits.leaderboardLimit),
    best: report.best ? { ...report.best, config: report.best.config as Record<string, unknown> } : null,
    importance: report.importance,
    trialRuns: limits.trialRunsLimit === undefined ? trials : trials.slice(0, limits.trialRunsLimit),
    leaderboardTotal: leaderboard.length,
    trialRunsTotal: trials.length,
    pareto: report.pareto ? toSweepPareto(report.pareto) : null,
  };
}

/** A page of the leaderboard with its entries' runs. */
export function toLeaderboardPage(
  report: SweepReport,
  page: { offset: number; limit: number },
): z.infer<typeof SweepLeaderboardPageSchema> {
  const entries = report.leaderboard.slice(page.offset, page.offset + page.limit);
  const ids = new Set(entries.flatMap((e) => e.trialIds.map(String)));
  return {
    total: report.leaderboard.length,
    offset: page.offset,
    entries,
    trialRuns: report.trials.filter((t) => ids.has(t.runId)),
  };
}
