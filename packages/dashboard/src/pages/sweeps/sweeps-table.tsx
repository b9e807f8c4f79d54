import { type SweepSummary, TERMINAL_STATUSES } from "@sweeplab/sdk";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatDate, formatMetric } from "../../format.ts";
import { Link } from "../../router.tsx";

/**
 * Runs that ended, over the runs the sweep will train (configs × repeats; with adaptive repeats, one per config
 * plus the further seeds racing asked for so far).
 */
export function trialProgress(sweep: SweepSummary): { done: number; total: number } {
  const done = TERMINAL_STATUSES.reduce((sum, status) => sum + (sweep.runsByStatus[status] ?? 0), 0);
  if (!sweep.adaptiveRepeats) return { done, total: sweep.trials * sweep.repeats };
  const runs = Object.values(sweep.runsByStatus).reduce((sum, n) => sum + n, 0);
  return { done, total: Math.max(sweep.trials, runs) };
}

export function SweepsTable({ sweeps, loading }: { sweeps: SweepSummary[]; loading: boolean }) {
  return (
    <div className="table-wrap">
      <table className="sweeps">
        <thead>
          <tr>
            <th>Status</th>
            <th>Name</th>
            <th>Method</th>
            <th className="num">Trials done</th>
            <th className="num">Best</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {loading ? (
            <tr>
              <td colSpan={6}>Loading…</td>
            </tr>
          ) : null}
          {sweeps.map((sweep) => {
            const { done, total } = trialProgress(sweep);
            return (
              <tr key={sweep.id} data-sweep-id={sweep.id} data-status={sweep.status}>
                <td>
                  <StatusBadge status={sweep.status} />
                </td>
                <td>
                  <Link href={`/sweeps/${encodeURIComponent(sweep.id)}`}>{sweep.name ?? sweep.id}</Link>
                  {sweep.preset ? <span className="tag">{sweep.preset}</span> : null}
                </td>
                <td>
                  {sweep.method}
                  {sweep.earlyStopping ? ` + ${sweep.earlyStopping.kind}` : ""}
                </td>
                <td className="num" data-testid="trials-done">
                  {done}/{total}
                </td>
                <td className="num" data-testid="best-metric" title={sweep.metric}>
                  {formatMetric(sweep.bestMean, sweep.metric)}{" "}
                  <span className="muted">{metricShortName(sweep.metric)}</span>
                </td>
                <td>{formatDate(sweep.createdAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** `validationAccuracy` as `val. acc.`: the metric next to its value. */
export function metricShortName(metric: string): string {
  return metric
    .replace("validation", "val. ")
    .replace("test", "test ")
    .replace("Accuracy", "acc.")
    .replace("Loss", "loss");
}
