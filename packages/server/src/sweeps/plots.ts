import { bestSoFar, type Direction, type ParameterImportance, type TrialParams } from "@sweeplab/core";
import type { TopLevelSpec } from "vega-lite";
import {
  downsampleCurve,
  PLOT_LIMITS,
  type PlotSampling,
  sampleTrials,
  samplingSubtitle,
} from "./plot-sampling.ts";

/** A sweep trial as the plots need it: plain data the store already holds. */
export interface PlotTrial {
  /** The trial's index in the sweep (0-based). */
  index: number;
  /** The trial run's id (to load its curve when a plot draws it). */
  runId?: string;
  params: TrialParams;
  /** The sweep's metric; null when the trial has no result (failed, diverged, pruned, running). */
  value: number | null;
  status: string;
  /** The trial's validation accuracy over steps. */
  curve: readonly { step: number; value: number }[];
}

export interface PlotOptions {
  /** The metric's name on axes. Default "validation accuracy". */
  metricLabel?: string;
  /** Default `maximize`. */
  direction?: Direction;
  /** Parameters drawn on a log axis (e.g. learning rates). */
  logParameters?: readonly string[];
  /** Caps past which a plot samples its trials and curves (plot-sampling.ts). */
  limits?: Partial<Record<keyof typeof PLOT_LIMITS, number>>;
}

/** The sampling a plot spec states (in `usermeta`, which vega ignores) and its title with the subtitle. */
function stated(title: string, sampling: PlotSampling, noun: string) {
  const subtitle = samplingSubtitle(sampling, noun);
  return { title: subtitle ? { text: title, subtitle } : title, usermeta: { sampling } };
}

/** What a plot spec says it sampled. */
export function plotSampling(spec: TopLevelSpec): PlotSampling {
  return (spec.usermeta as { sampling: PlotSampling }).sampling;
}

const limitsOf = (options: PlotOptions) => ({ ...PLOT_LIMITS, ...options.limits });

/** The trials whose curves the validation-curves plot draws: the best and an even spread of those that ran. */
export function pickCurveTrials(trials: readonly PlotTrial[], options: PlotOptions = {}) {
  const ran = trials.filter((t) => t.status !== "queued");
  return sampleTrials(ran, limitsOf(options).curves, (t) => t.value, options.direction ?? "maximize");
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** A parameter value as an axis shows it: numbers as they are; objects as their kind and settings. */
export function parameterLabel(value: unknown): string | number {
  if (typeof value === "number") return value;
  if (typeof value === "object" && value !== null) {
    const { kind, ...rest } = value as Record<string, unknown>;
    const settings = Object.entries(rest).map(([k, v]) => `${k}=${String(v)}`);
    return [kind === undefined ? undefined : String(kind), ...settings].filter(Boolean).join(" ");
  }
  return String(value);
}

function parameterNames(trials: readonly PlotTrial[]): string[] {
  const names: string[] = [];
  for (const t of trials)
    for (const name of Object.keys(t.params)) if (!names.includes(name)) names.push(name);
  return names;
}

const scored = (trials: readonly PlotTrial[]) =>
  trials.filter((t): t is PlotTrial & { value: number } => t.value !== null && Number.isFinite(t.value));

/**
 * Parallel coordinates: one line per trial with a result, across one axis per parameter and a last axis for the
 * metric, each axis scaled to [0, 1] (numbers by min-max, on a log scale for log parameters; categories evenly by
 * first appearance; a parameter a trial did not use sits at -0.1), the line coloured by the metric.
 */
export function parallelCoordinatesSpec(
  trials: readonly PlotTrial[],
  options: PlotOptions = {},
): TopLevelSpec {
  const metric = options.metricLabel ?? "validation accuracy";
  const direction = options.direction ?? "maximize";
  const sample = sampleTrials(scored(trials), limitsOf(options).lines, (t) => t.value, direction);
  const done = sample.items;
  const axes = [...parameterNames(done), metric];
  const position = new Map<string, (value: unknown) => number>();
  const ticks: { axis: string; position: number; label: string }[] = [];
  for (const axis of axes) {
    const raw = done.map((t) => (axis === metric ? t.value : t.params[axis])).filter((v) => v !== undefined);
    if (raw.every((v) => typeof v === "number")) {
      const log = options.logParameters?.includes(axis) && raw.every((v) => (v as number) > 0);
      const scale = (v: number) => (log ? Math.log(v) : v);
      const values = (raw as number[]).map(scale);
      const low = Math.min(...values);
      const span = Math.max(...values) - low || 1;
      position.set(axis, (v) => (typeof v === "number" ? (scale(v) - low) / span : -0.1));
    } else {
      const labels = [...new Set(raw.map((v) => String(parameterLabel(v))))];
      for (const [i, label] of labels.entries()) {
        ticks.push({ axis, label, position: i / Math.max(1, labels.length - 1) });
      }
      position.set(axis, (v) =>
        v === undefined ? -0.1 : labels.indexOf(String(parameterLabel(v))) / Math.max(1, labels.length - 1),
      );
    }
  }
  const values = done.flatMap((t) =>
    axes.map((axis, order) => {
      const raw = axis === metric ? t.value : t.params[axis];
      return {
        trial: t.index,
        axis,
        order,
        position: position.get(axis)!(raw),
        label: raw === undefined ? "(unused)" : parameterLabel(raw),
        metric: t.value,
      };
    }),
  );
  return {
    $schema: SCHEMA,
    ...stated("Parallel coordinates", { trials: sample.sampling }, "trials"),
    background: "white",
    width: Math.max(300, 110 * axes.length),
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: "line", opacity: 0.8 },
        encoding: {
          x: { field: "axis", type: "ordinal", sort: axes, title: null, axis: { labelAngle: 0 } },
          y: {
            field: "position",
            type: "quantitative",
            title: "normalised value",
            scale: { domain: [-0.1, 1] },
          },
          color: { field: "metric", type: "quantitative", title: metric, scale: { scheme: "viridis" } },
          detail: { field: "trial", type: "nominal" },
          order: { field: "order", type: "quantitative" },
          tooltip: [
            { field: "trial", type: "nominal" },
            { field: "axis", type: "nominal" },
            { field: "label", type: "nominal" },
          ],
        },
      },
      {
        // The categories of categorical axes, written where their lines cross the axis.
        data: { values: ticks },
        mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
        encoding: {
          x: { field: "axis", type: "ordinal", sort: axes },
          y: { field: "position", type: "quantitative" },
          text: { field: "label" },
        },
      },
    ],
  } as TopLevelSpec;
}

/** The metric against each parameter: one scatter panel per parameter, one point per trial that used it. */
export function metricByParameterSpec(trials: readonly PlotTrial[], options: PlotOptions = {}): TopLevelSpec {
  const metric = options.metricLabel ?? "validation accuracy";
  const direction = options.direction ?? "maximize";
  const sample = sampleTrials(scored(trials), limitsOf(options).points, (t) => t.value, direction);
  const done = sample.items;
  const panels = parameterNames(done).map((name) => {
    const used = done.filter((t) => t.params[name] !== undefined);
    const numeric = used.every((t) => typeof t.params[name] === "number");
    const log = numeric && options.logParameters?.includes(name);
    return {
      width: 220,
      height: 200,
      title: name,
      data: {
        values: used.map((t) => ({ trial: t.index, x: parameterLabel(t.params[name]), metric: t.value })),
      },
      mark: { type: "point", filled: true, size: 60 },
      encoding: {
        x: numeric
          ? {
              field: "x",
              type: "quantitative",
              title: name,
              scale: log ? { type: "log" } : { zero: false },
            }
          : { field: "x", type: "nominal", title: name, axis: { labelAngle: 0 } },
        y: { field: "metric", type: "quantitative", title: metric, scale: { zero: false } },
        tooltip: [{ field: "trial", type: "nominal" }, { field: "x" }, { field: "metric" }],
      },
    };
  });
  return {
    $schema: SCHEMA,
    ...stated(`${metric} against each parameter`, { trials: sample.sampling }, "trials"),
    background: "white",
    hconcat: panels,
  } as TopLevelSpec;
}

/** Each trial's result (points) and the best so far (a step line) over the trial index. */
export function bestSoFarSpec(trials: readonly PlotTrial[], options: PlotOptions = {}): TopLevelSpec {
  const metric = options.metricLabel ?? "validation accuracy";
  const direction = options.direction ?? "maximize";
  const ordered = [...trials].sort((a, b) => a.index - b.index);
  const best = bestSoFar(ordered, direction);
  const sample = sampleTrials(scored(ordered), limitsOf(options).points, (t) => t.value, direction);
  const points = sample.items.map((t) => ({ trial: t.index, value: t.value, status: t.status }));
  // A step line needs only the points where the best changes, and the last one.
  const line = ordered.flatMap((t, i) =>
    best[i] === null || (i > 0 && best[i] === best[i - 1] && i < ordered.length - 1)
      ? []
      : [{ trial: t.index, best: best[i] }],
  );
  return {
    $schema: SCHEMA,
    ...stated("Best so far", { trials: sample.sampling }, "trial results"),
    background: "white",
    width: 420,
    height: 240,
    layer: [
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 50, opacity: 0.7 },
        encoding: {
          x: { field: "trial", type: "quantitative", title: "trial" },
          y: { field: "value", type: "quantitative", title: metric, scale: { zero: false } },
        },
      },
      {
        data: { values: line },
        mark: { type: "line", interpolate: "step-after", color: "#d62728" },
        encoding: {
          x: { field: "trial", type: "quantitative" },
          y: { field: "best", type: "quantitative" },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Every trial's validation curve overlaid, one line per trial, coloured by trial. */
export function validationCurvesSpec(trials: readonly PlotTrial[], options: PlotOptions = {}): TopLevelSpec {
  const metric = options.metricLabel ?? "validation accuracy";
  const { pointsPerCurve } = limitsOf(options);
  const sample = pickCurveTrials(trials, options);
  // The curves are validation accuracy: higher is better whatever the sweep's metric.
  const values = sample.items.flatMap((t) =>
    downsampleCurve(t.curve, pointsPerCurve, "maximize").map((p) => ({
      trial: `trial ${t.index}`,
      step: p.step,
      value: p.value,
      status: t.status,
    })),
  );
  const sampled = sample.items.some((t) => t.curve.length > pointsPerCurve);
  const sampling: PlotSampling = {
    trials: sample.sampling,
    ...(sampled ? { points: { maxPerCurve: pointsPerCurve, method: "lttb+best" as const } } : {}),
  };
  return {
    $schema: SCHEMA,
    ...stated(`${metric} of every trial`, sampling, "curves"),
    background: "white",
    width: 420,
    height: 260,
    data: { values },
    mark: { type: "line", opacity: 0.8 },
    encoding: {
      x: { field: "step", type: "quantitative", title: "step" },
      y: { field: "value", type: "quantitative", title: metric, scale: { zero: false } },
      color: { field: "trial", type: "nominal", title: null, legend: sample.items.length <= 20 ? {} : null },
      strokeDash: { field: "status", type: "nominal", title: "status" },
    },
  } as TopLevelSpec;
}

/** Parameter importance as horizontal bars, largest first. */
export function importanceSpec(importance: readonly ParameterImportance[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: "Parameter importance (share of the metric's variance)",
    usermeta: { sampling: { trials: { shown: importance.length, of: importance.length, method: "all" } } },
    background: "white",
    width: 360,
    height: Math.max(60, 28 * importance.length),
    data: { values: importance.map((p) => ({ name: p.name, importance: p.importance })) },
    mark: { type: "bar" },
    encoding: {
      y: { field: "name", type: "nominal", sort: "-x", title: null },
      x: { field: "importance", type: "quantitative", title: "importance", scale: { domain: [0, 1] } },
    },
  } as TopLevelSpec;
}
