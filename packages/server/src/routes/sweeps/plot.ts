// Which plot spec draws which plot kind of a sweep.
import type { TopLevelSpec } from "vega-lite";
import { ProblemError } from "../../problem.ts";
import { paretoSpec } from "../../sweeps/pareto-plot.ts";
import {
  bestSoFarSpec,
  importanceSpec,
  metricByParameterSpec,
  parallelCoordinatesSpec,
  validationCurvesSpec,
} from "../../sweeps/plots.ts";
import type { SweepReport } from "../../sweeps/report.ts";
import type { PLOT_KINDS } from "./schemas.ts";

export function plotSpec(kind: (typeof PLOT_KINDS)[number], report: SweepReport): TopLevelSpec {
  const metricLabel = report.spec.metric.replace(/([A-Z])/g, " $1").toLowerCase();
  const options = {
    metricLabel,
    direction: report.spec.direction,
    logParameters: report.spec.space.parameters
      .filter((p) => p.type === "log-uniform" || ("log" in p && p.log === true))
      .map((p) => p.name),
  };
  switch (kind) {
    case "parallel-coordinates":
      return parallelCoordinatesSpec(report.plotTrials, options);
    case "metric-by-parameter":
      return metricByParameterSpec(report.plotTrials, options);
    case "best-so-far":
      return bestSoFarSpec(report.plotTrials, options);
    case "validation-curves":
      return validationCurvesSpec(report.plotTrials, options);
    case "importance":
      return importanceSpec(report.importance);
    case "pareto":
      if (!report.pareto)
        throw new ProblemError(
          409,
          "SWEEP_SINGLE_OBJECTIVE",
          `sweep ${report.sweep.id} ranks one metric (${report.spec.metric}): a Pareto plot needs two or more objectives`,
        );
      return paretoSpec(report.pareto);
  }
}
