import type { Direction } from "../direction.ts";

/** One evaluation of the sweep's metric during a trial. */
export interface MetricPoint {
  step: number;
  value: number;
}

/** Another trial of the same sweep, as far as it has got. */
export interface OtherTrial {
  /** Its evaluations so far, in step order. */
  evals: readonly MetricPoint[];
  /** Whether it ran to its end (the median rule counts only these). */
  completed: boolean;
}

/** What an early-stopping rule decides at one evaluation of a trial. */
export interface PruneDecision {
  prune: boolean;
  /** ASHA: the rung (0-based) the decision was taken at; null where no rung was reached. Median: always null. */
  rung: number | null;
  /** Why, in words a user reads (also when the trial goes on). */
  reason: string;
}

/** What both rules are given. Pure data: the caller collects it from the store. */
export interface PruneInput<Settings> {
  /** This trial's evaluations so far, in step order; the last is the one being decided on. */
  trial: readonly MetricPoint[];
  others: readonly OtherTrial[];
  settings: Settings;
  direction: Direction;
  /** The metric's name in reasons. Default "validation accuracy". */
  metricLabel?: string;
}

/** The value a trial held at `step`: its last evaluation at or before it. */
export function valueAtOrBefore(evals: readonly MetricPoint[], step: number): number | undefined {
  let value: number | undefined;
  for (const point of evals) {
    if (point.step > step) break;
    value = point.value;
  }
  return value;
}

/** Formats a metric value for a reason: four significant digits. */
export function formatMetric(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
