import * as Plot from "@observablehq/plot";
import type { Evaluation } from "@sweeplab/sdk";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { PlotFigure } from "../../components/plot-figure.tsx";
import { formatPercent } from "../../format.ts";

function ConfusionMatrix({ evaluation }: { evaluation: Evaluation }) {
  const cells = useMemo(
    () =>
      evaluation.confusionMatrix.flatMap((row, actual) => {
        const total = Math.max(
          1,
          row.reduce((a, b) => a + b, 0),
        );
        return row.map((count, predicted) => ({ actual, predicted, count, share: count / total }));
      }),
    [evaluation],
  );
  const options = useCallback(
    (): Plot.PlotOptions => ({
      padding: 0.05,
      marginLeft: 50,
      x: { label: "predicted", type: "band", axis: "top" },
      y: { label: "actual", type: "band" },
      color: { type: "sqrt", scheme: "blues", label: "share of the actual class" },
      marks: [
        Plot.cell(cells, { x: "predicted", y: "actual", fill: "share", tip: true }),
        Plot.text(cells, {
          x: "predicted",
          y: "actual",
          text: "count",
          // The scheme's low end is near white in both colour modes: dark text there, white on dark cells.
          fill: (d: { share: number }) => (d.share > 0.5 ? "white" : "#1b1f24"),
          fontSize: 10,
        }),
      ],
    }),
    [cells],
  );
  return (
    <figure className="chart" data-testid="confusion-matrix">
      <figcaption>Confusion matrix (test set; rows: actual, columns: predicted)</figcaption>
      <PlotFigure options={options} height={380} label="confusion matrix heat map" />
    </figure>
  );
}

function PerClassAccuracy({ evaluation }: { evaluation: Evaluation }) {
  const options = useCallback((): Plot.PlotOptions => {
    const rows = evaluation.perClassAccuracy.map((accuracy, label) => ({ label, accuracy }));
    // Accuracies sit near 1: start the axis just under the worst class, clipping the bars there.
    const floor = Math.max(0, Math.floor(Math.min(...rows.map((r) => r.accuracy)) * 20 - 1) / 20);
    return {
      marginLeft: 50,
      y: { label: "accuracy", domain: [floor, 1], tickFormat: "%", grid: true },
      x: { label: "class", type: "band" },
      marks: [
        Plot.barY(rows, { x: "label", y: "accuracy", fill: "var(--series-1)", clip: true, tip: true }),
        Plot.ruleY([floor]),
      ],
    };
  }, [evaluation]);
  return (
    <figure className="chart">
      <figcaption>Per-class accuracy</figcaption>
      <PlotFigure options={options} height={240} label="per-class accuracy bars" />
    </figure>
  );
}

export function EvaluationPanel({ runId }: { runId: string }) {
  const evaluation = useQuery({
    queryKey: queryKeys.evaluation(runId),
    queryFn: () => client.runs.evaluation(runId),
  });
  if (evaluation.isError)
    return (
      <p role="alert" className="error">
        {(evaluation.error as Error).message}
      </p>
    );
  if (!evaluation.data) return <div className="placeholder" style={{ height: 420 }} />;
  return (
    <>
      <p>
        Test accuracy {formatPercent(evaluation.data.testAccuracy)}, loss{" "}
        {evaluation.data.testLoss.toFixed(4)}.
      </p>
      <div className="two-col">
        <ConfusionMatrix evaluation={evaluation.data} />
        <PerClassAccuracy evaluation={evaluation.data} />
      </div>
    </>
  );
}
