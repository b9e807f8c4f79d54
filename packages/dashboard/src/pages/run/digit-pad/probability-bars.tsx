import * as Plot from "@observablehq/plot";
import { useCallback } from "react";
import { PlotFigure } from "../../../components/plot-figure.tsx";

export function ProbabilityBars({ probabilities }: { probabilities: number[] }) {
  const options = useCallback(
    (): Plot.PlotOptions => ({
      marginLeft: 30,
      x: { domain: [0, 1], label: "probability", percent: false },
      y: { label: "class", type: "band" },
      marks: [
        Plot.barX(
          probabilities.map((p, label) => ({ label, p })),
          { y: "label", x: "p", fill: "var(--series-1)", tip: true },
        ),
        Plot.ruleX([0]),
      ],
    }),
    [probabilities],
  );
  return <PlotFigure options={options} height={260} label="class probabilities" />;
}
