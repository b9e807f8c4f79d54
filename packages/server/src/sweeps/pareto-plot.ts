// The `pareto` plot of a multi-objective sweep: with two objectives, every config's means as a scatter with the
// front drawn through its members (their intervals as bars); with three or more, the front's configs as parallel
// coordinates over the objectives.
import type { TopLevelSpec } from "vega-lite";
import type { SweepParetoReport } from "./pareto-report.ts";
import { parameterLabel } from "./plots.ts";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** `msPerStep` minimised as "ms per step (lower is better)". */
export function objectiveLabel(objective: { metric: string; direction: string }): string {
  const words = objective.metric.replace(/([A-Z])/g, " $1").toLowerCase();
  return `${words} (${objective.direction === "maximize" ? "higher" : "lower"} is better)`;
}

const describeParams = (params: Record<string, unknown>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${parameterLabel(v)}`)
    .join(" ");

export function paretoSpec(report: SweepParetoReport): TopLevelSpec {
  const scored = report.configs.filter((c) => c.n > 0);
  return report.objectives.length === 2 ? scatterWithFront(report, scored) : frontCoordinates(report, scored);
}

function scatterWithFront(report: SweepParetoReport, scored: SweepParetoReport["configs"]): TopLevelSpec {
  const [x, y] = report.objectives.map(objectiveLabel) as [string, string];
  const points = scored.map((c) => ({
    x: c.means[0],
    y: c.means[1],
    xLow: c.means[0]! - 2 * c.standardErrors[0]!,
    xHigh: c.means[0]! + 2 * c.standardErrors[0]!,
    yLow: c.means[1]! - 2 * c.standardErrors[1]!,
    yHigh: c.means[1]! + 2 * c.standardErrors[1]!,
    config: describeParams(c.params),
    n: c.n,
    member: c.onFront ? "on the front" : "dominated beyond noise",
  }));
  const front = points.filter((p) => p.member === "on the front").sort((a, b) => a.x! - b.x!);
  const axis = (field: string, title: string) => ({
    field,
    type: "quantitative" as const,
    title,
    scale: { zero: false },
  });
  return {
    $schema: SCHEMA,
    title: `Pareto front (${front.length} of ${points.length} configs)`,
    background: "white",
    width: 420,
    height: 280,
    layer: [
      {
        data: { values: front },
        mark: { type: "rule", color: "#d62728", opacity: 0.5 },
        encoding: { x: axis("xLow", x), x2: { field: "xHigh" }, y: axis("y", y) },
      },
      {
        data: { values: front },
        mark: { type: "rule", color: "#d62728", opacity: 0.5 },
        encoding: { x: axis("x", x), y: axis("yLow", y), y2: { field: "yHigh" } },
      },
      {
        data: { values: front },
        mark: { type: "line", color: "#d62728", interpolate: "linear" },
        encoding: { x: axis("x", x), y: axis("y", y), order: { field: "x", type: "quantitative" } },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 70 },
        encoding: {
          x: axis("x", x),
          y: axis("y", y),
          color: {
            field: "member",
            type: "nominal",
            title: null,
            scale: { domain: ["on the front", "dominated beyond noise"], range: ["#d62728", "#7f7f7f"] },
          },
          tooltip: [{ field: "config" }, { field: "x", title: x }, { field: "y", title: y }, { field: "n" }],
        },
      },
    ],
  } as TopLevelSpec;
}

function frontCoordinates(report: SweepParetoReport, scored: SweepParetoReport["configs"]): TopLevelSpec {
  const axes = report.objectives.map(objectiveLabel);
  const front = scored.filter((c) => c.onFront);
  // Each axis min-max over the front, flipped for minimised objectives so that up is better on every axis.
  const position = report.objectives.map((objective, k) => {
    const values = front.map((c) => c.means[k]!);
    const low = Math.min(...values);
    const span = Math.max(...values) - low || 1;
    return (v: number) => {
      const p = (v - low) / span;
      return objective.direction === "maximize" ? p : 1 - p;
    };
  });
  const values = front.flatMap((c, i) =>
    axes.map((axis, k) => ({
      config: `${i}`,
      params: describeParams(c.params),
      axis,
      order: k,
      position: position[k]!(c.means[k]!),
      value: c.means[k],
    })),
  );
  return {
    $schema: SCHEMA,
    title: `Pareto front: ${front.length} of ${scored.length} configs (up is better on every axis)`,
    background: "white",
    width: Math.max(300, 150 * axes.length),
    height: 260,
    data: { values },
    mark: { type: "line", opacity: 0.8, point: true },
    encoding: {
      x: { field: "axis", type: "ordinal", sort: axes, title: null, axis: { labelAngle: 0 } },
      y: {
        field: "position",
        type: "quantitative",
        title: "normalised over the front",
        scale: { domain: [0, 1] },
      },
      color: { field: "config", type: "nominal", legend: null },
      detail: { field: "config", type: "nominal" },
      order: { field: "order", type: "quantitative" },
      tooltip: [{ field: "params" }, { field: "axis" }, { field: "value" }],
    },
  } as TopLevelSpec;
}
