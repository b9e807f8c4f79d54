import type { Run, RunMetrics } from "@sweeplab/sdk";
import { useMemo } from "react";
import { LineChart, type LineSeries } from "../../components/line-chart.tsx";

type Metric = "validationAccuracy" | "validationLoss" | "loss";

function overlay(
  runs: Run[],
  metrics: RunMetrics[],
  metric: Metric,
): { steps: number[]; series: LineSeries[] } {
  const steps = [
    ...new Set(metrics.flatMap((m) => m.points.filter((p) => p[metric] != null).map((p) => p.step))),
  ].sort((a, b) => a - b);
  const series = runs.map((run, i) => {
    const byStep = new Map(metrics[i]!.points.map((p) => [p.step, p[metric]]));
    return { label: run.name ?? run.id, values: steps.map((s) => byStep.get(s) ?? null) };
  });
  return { steps, series };
}

export function OverlaidCurves({ runs, metrics }: { runs: Run[]; metrics: RunMetrics[] }) {
  const charts = useMemo(
    () =>
      (
        [
          ["Validation accuracy", "validationAccuracy", false],
          ["Validation loss", "validationLoss", true],
          ["Training batch loss", "loss", true],
        ] as const
      ).map(([title, metric, logY]) => ({ title, logY, ...overlay(runs, metrics, metric) })),
    [runs, metrics],
  );
  return (
    <div className="charts" data-testid="compare-curves">
      {charts.map((c) => (
        <LineChart key={c.title} title={c.title} steps={c.steps} series={c.series} logY={c.logY} />
      ))}
    </div>
  );
}
