import { LineChart } from "../../components/line-chart.tsx";
import type { RunCurves } from "./use-run-curves.ts";

/** Train vs validation loss and accuracy, and the learning rate, as the run trains. */
export function RunCurvesPanel({ curves }: { curves: RunCurves }) {
  const { steps, series } = curves;
  return (
    <div className="charts" data-testid="run-curves" data-ended={curves.ended}>
      <LineChart
        title="Loss"
        steps={steps}
        series={[
          { label: "batch loss", values: series.loss },
          { label: "train loss", values: series.trainLoss, dashed: true },
          { label: "validation loss", values: series.validationLoss },
        ]}
        logY
      />
      <LineChart
        title="Accuracy"
        steps={steps}
        series={[
          { label: "train accuracy", values: series.trainAccuracy, dashed: true },
          { label: "validation accuracy", values: series.validationAccuracy },
        ]}
      />
      <LineChart
        title="Learning rate"
        steps={steps}
        series={[{ label: "learning rate", values: series.learningRate }]}
      />
    </div>
  );
}
