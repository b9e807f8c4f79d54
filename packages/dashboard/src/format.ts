import type { ResolvedRunConfig } from "@sweeplab/sdk";

/** Display formats shared by the pages. */
export const formatPercent = (value: number | null | undefined, digits = 2) =>
  value == null ? "–" : `${(value * 100).toFixed(digits)} %`;

export const formatMs = (value: number | null | undefined) =>
  value == null ? "–" : `${value.toFixed(1)} ms`;

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A time in the browser's time zone as `2026-12-03 21:40`: one form in every locale, sortable, and made without
 * Intl (a fresh tab's first Intl date format loads its locale data, on the path to the sweep page's first
 * drawing).
 */
export function formatDate(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return "–";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const formatValue = (value: unknown): string =>
  value === undefined ? "–" : typeof value === "string" ? value : JSON.stringify(value);

/** Flattens a nested config to dotted keys (`optimizer.learningRate`), for tables and diffs. */
export function flattenConfig(value: unknown, prefix = ""): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { [prefix]: value };
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value))
    Object.assign(out, flattenConfig(inner, prefix ? `${prefix}.${key}` : key));
  return out;
}

/** The model in a few characters (`MLP 2×512`, `CNN 32-64`). */
export function describeModel(config: ResolvedRunConfig): string {
  const m = config.model;
  if (m.kind === "mlp") return `MLP ${m.depth}×${m.width}`;
  return `CNN ${m.channels.join("-")}${m.batchNorm ? " bn" : ""}`;
}

/** The hyperparameters a runs table has room for: optimizer, learning rate, batch size. */
export function describeTraining(config: ResolvedRunConfig): string {
  const o = config.optimizer;
  return `${o.kind} lr ${o.learningRate}, bs ${config.batchSize}`;
}

/** Short tick labels at any magnitude (a learning rate of 3e-4 as well as a loss of 0.25). */
export function formatTick(value: number): string {
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size < 0.01 || size >= 1e5) return value.toExponential(1).replace("e-", "e−");
  return String(Number(value.toPrecision(3)));
}

/** A sweep metric as people read it: accuracies in percent, losses to four digits. */
export function formatMetric(value: number | null | undefined, metric: string): string {
  if (value == null) return "–";
  return metric.endsWith("Accuracy") ? formatPercent(value) : value.toFixed(4);
}

/** A spread in the metric's unit, without the unit (`0.15` percentage points for accuracies). */
export function formatSpread(value: number | null | undefined, metric: string): string {
  if (value == null) return "";
  return metric.endsWith("Accuracy") ? (value * 100).toFixed(2) : value.toFixed(4);
}

/** A parameter value in a table cell: numbers to three significant digits, objects by their settings. */
export function formatParameter(value: unknown): string {
  if (typeof value === "number") return String(Number(value.toPrecision(3)));
  if (value && typeof value === "object")
    return Object.entries(value)
      .map(([k, v]) => (k === "kind" ? String(v) : `${k} ${formatValue(v)}`))
      .join(", ");
  return formatValue(value);
}
