import type { Run, Sweep, SweepTrial } from "@sweeplab/sdk";
import { keepPreviousData, useQueries } from "@tanstack/react-query";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { StatusBadge } from "../../components/status-badge.tsx";
import { pagesOf, useWindowedRows } from "../../components/use-windowed-rows.ts";
import { WindowedTable } from "../../components/windowed-table.tsx";
import { formatMetric, formatMs, formatParameter } from "../../format.ts";
import { Link } from "../../router.tsx";

const PAGE = 100;
const ROW_HEIGHT = 32;
const VISIBLE_ROWS = 12;

/**
 * Every trial run by trial index (status, progress, result, step time, parameters), windowed like the leaderboard:
 * only the rows in view are in the page, fetched a page at a time (`GET /v1/sweeps/{id}/trials`).
 */
export function TrialsTable({ sweep, version }: { sweep: Sweep; version: string }) {
  const names = [...new Set(sweep.space.parameters.map((p) => p.name))];
  const total = sweep.trialRunsTotal;
  const view = useWindowedRows(total, { rowHeight: ROW_HEIGHT, visibleRows: VISIBLE_ROWS });
  const pages = pagesOf(view.first, view.last, PAGE);
  const loaded = useQueries({
    queries: pages.map((page) => ({
      queryKey: queryKeys.sweepTrialsPage(sweep.id, page, version),
      queryFn: () => client.sweeps.trials(sweep.id, { offset: page * PAGE, limit: PAGE }),
      placeholderData: keepPreviousData,
    })),
  });
  const trials = new Map<number, SweepTrial>();
  for (const [i, query] of loaded.entries())
    for (const [k, trial] of (query.data?.items ?? []).entries()) trials.set(pages[i]! * PAGE + k, trial);
  return (
    <WindowedTable
      name="trials"
      view={view}
      total={total}
      rowHeight={ROW_HEIGHT}
      columns={names.length + 5}
      head={
        <tr>
          <th className="num">Trial</th>
          <th>Status</th>
          <th className="num">Step</th>
          <th className="num">{sweep.metric}</th>
          <th className="num">Step time</th>
          {names.map((name) => (
            <th key={name}>{name}</th>
          ))}
        </tr>
      }
      row={(index) => {
        const t = trials.get(index);
        return t ? (
          <tr key={t.runId} data-run-id={t.runId} style={{ height: ROW_HEIGHT }}>
            <td className="num">#{t.trialIndex}</td>
            <td>
              <Link href={`/runs/${encodeURIComponent(t.runId)}`} aria-label={`run of trial ${t.trialIndex}`}>
                <StatusBadge status={t.status as Run["status"]} />
              </Link>
            </td>
            <td className="num">
              {t.step}/{t.totalSteps}
            </td>
            <td className="num">{formatMetric(t.value, sweep.metric)}</td>
            <td className="num">{formatMs(t.msPerStep)}</td>
            {names.map((name) => (
              <td key={name}>{name in t.params ? formatParameter(t.params[name]) : "–"}</td>
            ))}
          </tr>
        ) : null;
      }}
    />
  );
}
