import type { Run, Sweep, SweepTrial } from "@sweeplab/sdk";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatMetric, formatMs, formatParameter, formatSpread } from "../../format.ts";
import { Link } from "../../router.tsx";

/** The mean step time of a config's runs that have one. */
function meanMsPerStep(runs: SweepTrial[]): number | null {
  const times = runs.flatMap((r) => (r.msPerStep == null ? [] : [r.msPerStep]));
  return times.length ? times.reduce((a, b) => a + b, 0) / times.length : null;
}

function TrialRun({ run }: { run: SweepTrial }) {
  const active = run.status === "running" || run.status === "queued";
  return (
    <li>
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

/**
 * Configs best first: mean ± sample standard deviation over repeats, configs within seed noise of the best
 * marked (≈), each repeat's run with its status (and why it was pruned, diverged or failed) linked to its page.
 */
export function LeaderboardTable({ sweep }: { sweep: Sweep }) {
  const names = [...new Set(sweep.space.parameters.map((p) => p.name))];
  const runsById = new Map(sweep.trialRuns.map((t) => [t.runId, t]));
  return (
    <div className="table-wrap">
      <table className="leaderboard" data-testid="leaderboard">
        <thead>
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
        </thead>
        <tbody>
          {sweep.leaderboard.map((entry) => {
            const runs = entry.trialIds.flatMap((id) => runsById.get(String(id)) ?? []);
            const trials = [...new Set(runs.map((r) => r.trialIndex))];
            return (
              <tr
                key={entry.trialIds.join(",")}
                data-rank={entry.rank}
                data-mean={entry.mean ?? ""}
                data-within-noise={entry.withinNoise}
                data-on-front={entry.onFront}
                className={entry.withinNoise ? "within-noise" : undefined}
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
          })}
        </tbody>
      </table>
    </div>
  );
}
