import type { LeaderboardEntry, Run, Sweep, SweepTrial } from "@sweeplab/sdk";
import { keepPreviousData, useQueries } from "@tanstack/react-query";
import { useEffect } from "react";
import { StatusBadge } from "../../components/status-badge.tsx";
import { pagesOf, useWindowedRows } from "../../components/use-windowed-rows.ts";
import { WindowedTable } from "../../components/windowed-table.tsx";
import { formatMetric, formatMs, formatParameter, formatSpread } from "../../format.ts";
import { Link } from "../../router.tsx";
import { LEADERBOARD_PAGE, leaderboardPageQuery } from "./sweep-queries.ts";

/** The table's geometry (rows are one line: fixed height, so the window is exact). */
const ROW_HEIGHT = 36;
const VISIBLE_ROWS = 14;

/** The mean step time of a config's runs that have one. */
function meanMsPerStep(runs: SweepTrial[]): number | null {
  const times = runs.flatMap((r) => (r.msPerStep == null ? [] : [r.msPerStep]));
  return times.length ? times.reduce((a, b) => a + b, 0) / times.length : null;
}

function TrialRun({ run }: { run: SweepTrial }) {
  const active = run.status === "running" || run.status === "queued";
  return (
    <li title={run.error ?? undefined}>
      <Link href={`/runs/${encodeURIComponent(run.runId)}`} aria-label={`run of trial ${run.trialIndex}`}>
        <StatusBadge status={run.status as Run["status"]} />
      </Link>{" "}
      {active ? (
        <span className="muted">
          {run.step}/{run.totalSteps}
        </span>
      ) : null}
      {run.error ? <small className="reason">{run.error}</small> : null}
    </li>
  );
}

function LeaderboardRow(props: {
  sweep: Sweep;
  names: string[];
  entry: LeaderboardEntry;
  runsById: Map<string, SweepTrial>;
}) {
  const { sweep, names, entry, runsById } = props;
  const runs = entry.trialIds.flatMap((id) => runsById.get(String(id)) ?? []);
  const trials = [...new Set(runs.map((r) => r.trialIndex))];
  return (
    <tr
      data-rank={entry.rank}
      data-mean={entry.mean ?? ""}
      data-within-noise={entry.withinNoise}
      data-on-front={entry.onFront}
      className={entry.withinNoise ? "within-noise" : undefined}
      style={{ height: ROW_HEIGHT }}
    >
      <td className="num">
        {entry.mean === null ? "–" : entry.rank}
        {entry.onFront ? (
          <span className="front-mark" title="on the Pareto front">
            {" "}
            ◆
          </span>
        ) : null}
      </td>
      <td className="num">{trials.map((t) => `#${t}`).join(", ")}</td>
      <td className="num" data-testid="metric">
        {formatMetric(entry.mean, sweep.metric)}
        {entry.std !== null ? (
          <span className="muted"> ± {formatSpread(entry.std, sweep.metric)}</span>
        ) : null}
        {sweep.repeats > 1 ? <small className="muted"> (n={entry.n})</small> : null}
      </td>
      <td>{entry.withinNoise ? <span title="within seed noise of the best">≈</span> : ""}</td>
      {names.map((name) => (
        <td key={name}>{name in entry.params ? formatParameter(entry.params[name]) : "–"}</td>
      ))}
      <td>
        <ul className="trial-runs">
          {runs.map((run) => (
            <TrialRun key={run.runId} run={run} />
          ))}
        </ul>
      </td>
      <td className="num">{formatMs(meanMsPerStep(runs))}</td>
    </tr>
  );
}

/**
 * One page of the leaderboard as of one read of the sweep (`version`). A version's pages do not change, so they
 * are never stale: the next read is a new version. The sweep page asks for the first page of the read in flight
 * beside the sweep itself; the table then finds it under the same key, asked for once.
 */
/**
 * Configs best first: mean ± sample standard deviation over repeats, configs within seed noise of the best
 * marked (≈), each repeat's run with its status (and why it was pruned, diverged or failed) linked to its page.
 * Windowed: only the rows in view are in the page, fetched a page of `LEADERBOARD_PAGE` at a time
 * (`GET /v1/sweeps/{id}/leaderboard`); `version` changes when the sweep does, and refetches what is in view.
 */
export function LeaderboardTable(props: { sweep: Sweep; version: string; onDrawn?: () => void }) {
  const { sweep, version, onDrawn } = props;
  const names = [...new Set(sweep.space.parameters.map((p) => p.name))];
  const total = sweep.leaderboardTotal;
  const view = useWindowedRows(total, { rowHeight: ROW_HEIGHT, visibleRows: VISIBLE_ROWS });
  const pages = pagesOf(view.first, view.last, LEADERBOARD_PAGE);
  const loaded = useQueries({
    queries: pages.map((page) => ({
      ...leaderboardPageQuery(sweep.id, page, version),
      placeholderData: keepPreviousData,
    })),
  });
  const entries = new Map<number, LeaderboardEntry>();
  const runsById = new Map<string, SweepTrial>();
  for (const [i, query] of loaded.entries()) {
    const data = query.data;
    if (!data) continue;
    for (const [k, entry] of data.entries.entries()) entries.set(pages[i]! * LEADERBOARD_PAGE + k, entry);
    for (const run of data.trialRuns) runsById.set(run.runId, run);
  }
  const drawn = entries.size > 0;
  useEffect(() => {
    if (drawn) onDrawn?.();
  }, [drawn, onDrawn]);
  return (
    <WindowedTable
      name="leaderboard"
      view={view}
      total={total}
      rowHeight={ROW_HEIGHT}
      columns={names.length + 6}
      head={
        <tr>
          <th className="num">Rank</th>
          <th className="num">Trial</th>
          <th className="num" title={`${sweep.metric}, ${sweep.direction}d`}>
            {sweep.metric}
          </th>
          <th>
            <abbr title="within seed noise of the best">≈ best</abbr>
          </th>
          {names.map((name) => (
            <th key={name}>{name}</th>
          ))}
          <th>Runs</th>
          <th className="num">Step time</th>
        </tr>
      }
      row={(index) => {
        const entry = entries.get(index);
        return entry ? (
          <LeaderboardRow key={entry.key} sweep={sweep} names={names} entry={entry} runsById={runsById} />
        ) : null;
      }}
    />
  );
}
