// Which plot spec draws which plot kind of a sweep, and the few curves the validation-curves plot loads.
import type { TopLevelSpec } from "vega-lite";
import { ProblemError } from "../../problem.ts";
import type { Store } from "../../store/store.ts";
import { paretoSpec } from "../../sweeps/pareto-plot.ts";
import type { PlotSampling } from "../../sweeps/plot-sampling.ts";
import {
  bestSoFarSpec,
  importanceSpec,
  metricByParameterSpec,
  type PlotOptions,
  type PlotTrial,
  parallelCoordinatesSpec,
  pickCurveTrials,
  plotSampling,
  validationCurvesSpec,
} from "../../sweeps/plots.ts";
import type { SweepReport } from "../../sweeps/report.ts";
import type { PLOT_KINDS } from "./schemas.ts";

/** The report's trials with the curves of those the validation-curves plot draws (read from the store). */
async function withCurves(store: Store, trials: PlotTrial[], options: PlotOptions): Promise<PlotTrial[]> {
  const drawn = pickCurveTrials(trials, options).items.filter(
    (t) => t.runId !== undefined && t.curve.length === 0,
  );
  if (drawn.length === 0) return trials;
  const curves = new Map<string, { step: number; value: number }[]>();
  for (const m of await store.evalCurves(drawn.map((t) => t.runId!))) {
    if (m.validationAccuracy === null) continue;
    const curve = curves.get(m.runId) ?? [];
    curve.push({ step: m.step, value: m.validationAccuracy });
    curves.set(m.runId, curve);
  }
  return trials.map((t) => (t.runId && curves.has(t.runId) ? { ...t, curve: curves.get(t.runId)! } : t));
}

export async function plotSpec(
  kind: (typeof PLOT_KINDS)[number],
  report: SweepReport,
  store: Store,
): Promise<{ spec: TopLevelSpec; sampling: PlotSampling }> {
  const metricLabel = report.spec.metric.replace(/([A-Z])/g, " $1").toLowerCase();
  const options: PlotOptions = {
    metricLabel,
    direction: report.spec.direction,
    logParameters: report.spec.space.parameters
      .filter((p) => p.type === "log-uniform" || ("log" in p && p.log === true))
      .map((p) => p.name),
  };
  if (kind === "pareto") {
    if (!report.pareto)
      throw new ProblemError(
        409,
        "SWEEP_SINGLE_OBJECTIVE",
        `sweep ${report.sweep.id} ranks one metric (${report.spec.metric}): a Pareto plot needs two or more objectives`,
      );
    // Every scored config is drawn (one point per config, not per run).
    const scored = report.pareto.configs.filter((c) => c.n > 0).length;
    return {
      spec: paretoSpec(report.pareto),
      sampling: { trials: { shown: scored, of: scored, method: "all" } },
    };
  }
  const spec = await (async () => {
    switch (kind) {
      case "parallel-coordinates":
        return parallelCoordinatesSpec(report.plotTrials, options);
      case "metric-by-parameter":
        return metricByParameterSpec(report.plotTrials, options);
      case "best-so-far":
        return bestSoFarSpec(report.plotTrials, options);
      case "validation-curves":
        return validationCurvesSpec(await withCurves(store, report.plotTrials, options), options);
      case "importance":
        return importanceSpec(report.importance);
    }
  })();
  return { spec, sampling: plotSampling(spec) };
}
