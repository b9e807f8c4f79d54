import type { Sweep } from "@sweeplab/sdk";
import { formatMetric, formatParameter } from "../../format.ts";
import { SweepPlot } from "./sweep-plot.tsx";

type Pareto = NonNullable<Sweep["pareto"]>;

/** An objective's mean as people read it: accuracies in percent, times in ms, sizes whole, memory in MB. */
function formatObjective(value: number, metric: string): string {
  if (metric === "msPerStep") return `${value.toFixed(2)} ms`;
  if (metric === "parameterCount") return Math.round(value).toLocaleString("en");
  if (metric === "peakMemoryEstimate") return `${(value / 2 ** 20).toFixed(1)} MB`;
  return formatMetric(value, metric);
}

const label = (o: Pareto["objectives"][number]) => `${o.metric} ${o.direction === "maximize" ? "↑" : "↓"}`;

/**
 * A multi-objective sweep's result: its Pareto front within seed noise (every config on it, each objective's
 * mean), and the service's `pareto` plot (two objectives: every config with the front; three or more: the
 * front's parallel coordinates). Nothing for a single-metric sweep.
 */
export function ParetoSection({ sweep, version }: { sweep: Sweep; version: string }) {
  const pareto = sweep.pareto;
  if (!pareto) return null;
  return (
    <>
      <h2>Pareto front</h2>
      <p className="muted">
        {pareto.front.length} of {pareto.configsScored} configs: none is beaten beyond seed noise on every
        objective ({pareto.objectives.map(label).join(", ")}).
      </p>
      <div className="table-wrap">
        <table data-testid="pareto-front">
          <thead>
            <tr>
              {pareto.objectives.map((o) => (
                <th key={o.metric} className="num">
                  {label(o)}
                </th>
              ))}
              <th className="num">n</th>
              <th>Config</th>
            </tr>
          </thead>
          <tbody>
            {pareto.front.map((member) => (
              <tr key={member.key} data-key={member.key}>
                {pareto.objectives.map((o, k) => (
                  <td key={o.metric} className="num">
                    {formatObjective(member.means[k]!, o.metric)}
                  </td>
                ))}
                <td className="num">{member.n}</td>
                <td>
                  {Object.entries(member.params)
                    .map(([name, value]) => `${name} ${formatParameter(value)}`)
                    .join(" · ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="sweep-plots">
        <SweepPlot sweepId={sweep.id} kind="pareto" title="Pareto front" version={version} />
      </div>
    </>
  );
}
