import type { Sweep } from "@sweeplab/sdk";
import { formatMetric, formatParameter } from "../../format.ts";
import { ConfigTable } from "../run/config-table.tsx";

/** The best config so far: its parameters, its mean metric, and the whole run config they make. */
export function BestConfig({ sweep }: { sweep: Sweep }) {
  const best = sweep.best;
  if (!best) return <p className="muted">Known once a trial has a result.</p>;
  return (
    <div data-testid="best-config">
      <p>
        <strong>{formatMetric(best.mean, sweep.metric)}</strong> <span className="muted">{sweep.metric}</span>{" "}
        with{" "}
        {Object.entries(best.params).map(([name, value]) => (
          <span key={name} className="tag">
            {name} {formatParameter(value)}
          </span>
        ))}
      </p>
      <details>
        <summary>The full run config</summary>
        <ConfigTable config={best.config} />
      </details>
    </div>
  );
}
