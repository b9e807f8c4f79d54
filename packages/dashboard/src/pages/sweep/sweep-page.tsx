import type { Sweep, SweepPlotKind } from "@sweeplab/sdk";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatDate } from "../../format.ts";
import { trialProgress } from "../sweeps/sweeps-table.tsx";
import { BestConfig } from "./best-config.tsx";
import { LeaderboardTable } from "./leaderboard-table.tsx";
import { ParetoSection } from "./pareto-section.tsx";
import { SweepActions } from "./sweep-actions.tsx";
import { SweepBudgetFacts } from "./sweep-budget-facts.tsx";
import { SweepPlot } from "./sweep-plot.tsx";
import { leaderboardPageQuery, sweepQuery, sweepReads, tablesVersion, takeVisit } from "./sweep-queries.ts";
import { TrialsTable } from "./trials-table.tsx";
import { useSweepEvents } from "./use-sweep-events.ts";

const PLOTS: { kind: SweepPlotKind; title: string }[] = [
  { kind: "parallel-coordinates", title: "Parallel coordinates" },
  { kind: "best-so-far", title: "Best so far, over trials" },
  { kind: "importance", title: "Parameter importance" },
  { kind: "validation-curves", title: "Validation curves of all trials" },
  { kind: "metric-by-parameter", title: "Metric against each parameter" },
];

/** What the plots draw: the runs' statuses and the best result. A new version refetches them. */
export const sweepVersion = (sweep: Sweep) =>
  `${sweep.status}|${JSON.stringify(sweep.runsByStatus)}|${sweep.bestMean ?? ""}|${sweep.leaderboardTotal}`;

export function SweepPage({ id }: { id: string }) {
  const sweep = useQuery(sweepQuery(id));
  // The leaderboard's first page of the read in flight is asked for beside the sweep, not after it: the first rows
  // show sooner, and the table finds that page under the same key instead of asking again.
  const [visit] = useState(() => takeVisit(id));
  const reads = sweepReads(useQueryClient(), id, sweep.isFetching);
  useQuery(leaderboardPageQuery(id, 0, tablesVersion(visit, reads.current)));
  const live = sweep.data?.status === "running";
  // The leaderboard draws first; the plots (drawn by the service) and the live stream (its first message lists
  // every trial run) follow once it has, so a large sweep's page shows its ranking without waiting on them.
  const [tablesDrawn, setTablesDrawn] = useState(false);
  const followed = tablesDrawn || sweep.data?.leaderboardTotal === 0;
  useSweepEvents(id, live && followed);
  if (sweep.isError) return <ErrorAlert error={sweep.error} />;
  if (!sweep.data) return <p>Loading…</p>;
  const s = sweep.data;
  const { done, total } = trialProgress(s);
  const version = sweepVersion(s);
  // The tables refetch what is in view whenever the sweep is read again (the event stream asks, at most every
  // 500 ms, so running trials' progress shows too).
  const tables = tablesVersion(visit, reads.landed);
  return (
    <section>
      <div className="page-head">
        <h1>
          {s.name ?? s.id} <StatusBadge status={s.status} />
        </h1>
        <SweepActions sweep={s} />
      </div>
      <dl className="facts">
        <div>
          <dt>Trials done</dt>
          <dd data-testid="sweep-progress">
            {done} / {total}
          </dd>
        </div>
        <div>
          <dt>Method</dt>
          <dd>
            {s.method}
            {s.earlyStopping ? ` + ${s.earlyStopping.kind}` : ""}
            {s.preset ? ` (${s.preset})` : ""}
          </dd>
        </div>
        <div>
          <dt>Metric ({s.direction === "maximize" ? "higher" : "lower"} is better)</dt>
          <dd>{s.metric}</dd>
        </div>
        <div>
          <dt>Parallel · repeats · seed</dt>
          <dd>
            {s.parallelism} · {s.adaptiveRepeats ? `auto, up to ${s.repeats}` : s.repeats} · {s.seed}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDate(s.createdAt)}</dd>
        </div>
        <SweepBudgetFacts sweep={s} />
      </dl>
      {s.stopReason ? <p className="muted">Stopped: {s.stopReason}</p> : null}
      <h2>Leaderboard</h2>
      {s.leaderboardTotal ? (
        <LeaderboardTable sweep={s} version={tables} onDrawn={() => setTablesDrawn(true)} />
      ) : (
        <p className="muted">No trials yet: the first ones are queued.</p>
      )}
      <ParetoSection sweep={s} version={version} />
      <h2>Best config</h2>
      <BestConfig sweep={s} />
      <h2>Trial runs</h2>
      {s.trialRunsTotal ? <TrialsTable sweep={s} version={tables} /> : null}
      <h2>Plots</h2>
      <div className="sweep-plots">
        {PLOTS.map((p) => (
          <SweepPlot
            key={p.kind}
            sweepId={s.id}
            kind={p.kind}
            title={p.title}
            version={version}
            refreshMs={live && p.kind === "validation-curves" ? 10_000 : false}
            enabled={followed}
          />
        ))}
      </div>
    </section>
  );
}
