import type { Sweep } from "@sweeplab/sdk";
import { formatParam } from "./sweep-table.ts";

type Pareto = NonNullable<Sweep["pareto"]>;

/** Column headings and value formats per objective metric. */
const METRICS: Record<string, { label: string; format: (v: number) => string }> = {
  validationAccuracy: { label: "val acc", format: (v) => `${(v * 100).toFixed(2)} %` },
  validationLoss: { label: "val loss", format: (v) => v.toFixed(4) },
  msPerStep: { label: "ms/step", format: (v) => v.toFixed(2) },
  parameterCount: { label: "params", format: (v) => String(Math.round(v)) },
  peakMemoryEstimate: { label: "memory MB", format: (v) => (v / 2 ** 20).toFixed(1) },
};
const metricOf = (name: string) => METRICS[name] ?? { label: name, format: (v: number) => v.toPrecision(4) };

/**
 * A multi-objective sweep's Pareto front: one line per config on it, each objective's mean with its half interval
 * (2 standard errors) where it has one, then the config's parameters. Sorted by the first objective, best first.
 */
export function paretoTable(pareto: Pareto): string {
  const columns = pareto.objectives.map((o) => ({
    ...metricOf(o.metric),
    arrow: o.direction === "maximize" ? "↑" : "↓",
  }));
  const first = pareto.objectives[0]!;
  const sign = first.direction === "maximize" ? -1 : 1;
  const members = [...pareto.front].sort((a, b) => sign * (a.means[0]! - b.means[0]!));
  const cells = members.map((m) =>
    columns.map((c, k) => {
      const half = (m.intervals[k]![1] - m.intervals[k]![0]) / 2;
      return half > 0 ? `${c.format(m.means[k]!)} ± ${c.format(half)}` : c.format(m.means[k]!);
    }),
  );
  const widths = columns.map((c, k) =>
    Math.max(`${c.label} ${c.arrow}`.length, ...cells.map((row) => row[k]!.length)),
  );
  const heading = columns.map((c, k) => `${c.label} ${c.arrow}`.padEnd(widths[k]!)).join("  ");
  const lines = [
    `Pareto front: ${members.length} of ${pareto.configsScored} configs (none beaten beyond seed noise on every objective)`,
    `${heading}  n  params`,
  ];
  for (const [i, m] of members.entries()) {
    const params = Object.entries(m.params)
      .map(([key, value]) => `${key}=${formatParam(value)}`)
      .join(" ");
    lines.push(`${cells[i]!.map((cell, k) => cell.padEnd(widths[k]!)).join("  ")}  ${m.n}  ${params}`);
  }
  return lines.join("\n");
}
