// The figures bench-sweeps reports, computed from finished sweeps: pure functions, no I/O.

/** One trial as the bench reads it from a finished sweep (the SDK's SweepTrial, narrowed). */
export interface TrialFigure {
  trialIndex: number;
  status: string;
  params: Record<string, unknown>;
  /** The sweep's metric (validation accuracy here); null without a result (pruned, failed, diverged). */
  value: number | null;
  /** Steps the trial trained (a pruned trial stops at its rung). */
  step: number;
}

/** Steps trained by every trial together: what early stopping saves. */
export function totalTrainedSteps(trials: readonly Pick<TrialFigure, "step">[]): number {
  return trials.reduce((sum, t) => sum + t.step, 0);
}

/** Trials (or runs) per hour for `count` finished in `wallSeconds`. */
export function perHour(count: number, wallSeconds: number): number {
  return wallSeconds > 0 ? (count * 3600) / wallSeconds : Number.NaN;
}

/** The best value after trial 1, 2, ..., N (in trial order; maximised); null until a trial has a value. */
export function bestSoFar(trials: readonly Pick<TrialFigure, "trialIndex" | "value">[]): (number | null)[] {
  let best: number | null = null;
  return [...trials]
    .sort((a, b) => a.trialIndex - b.trialIndex)
    .map((t) => {
      if (t.value !== null && Number.isFinite(t.value) && (best === null || t.value > best)) best = t.value;
      return best;
    });
}

/**
 * The mean of several best-so-far curves, position by position, over the curves that have a value there (a
 * position no curve has a value at is null). Curves may differ in length; the result is as long as the longest.
 */
export function meanCurve(curves: readonly (readonly (number | null)[])[]): (number | null)[] {
  const length = Math.max(0, ...curves.map((c) => c.length));
  return Array.from({ length }, (_, i) => {
    const values = curves.flatMap((c) => {
      const v = c[i];
      return v === null || v === undefined ? [] : [v];
    });
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  });
}

/** The trial with the best value (the first on a tie), or undefined when none has one. */
export function bestTrial<T extends Pick<TrialFigure, "trialIndex" | "value">>(
  trials: readonly T[],
): T | undefined {
  let best: T | undefined;
  for (const t of [...trials].sort((a, b) => a.trialIndex - b.trialIndex)) {
    if (t.value === null || !Number.isFinite(t.value)) continue;
    if (!best || t.value > (best.value ?? Number.NEGATIVE_INFINITY)) best = t;
  }
  return best;
}

/** A key for a sweep's proposed configs in trial order: two sweeps proposed the same configs when keys match. */
export function configsKey(trials: readonly Pick<TrialFigure, "trialIndex" | "params">[]): string {
  const sorted = (value: unknown): unknown =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, sorted(v)]),
        )
      : value;
  return JSON.stringify(
    [...trials].sort((a, b) => a.trialIndex - b.trialIndex).map((t) => [t.trialIndex, sorted(t.params)]),
  );
}

/** Trial numbers (1-based) to print a curve at: quarters of N (4, 8, 12, 16 for 16), without repeats. */
export function quarterPoints(trials: number): number[] {
  return [...new Set([1, 2, 3, 4].map((q) => Math.max(1, Math.round((q * trials) / 4))))];
}

/** A percentage with two decimals, or "-". */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? "-"
    : `${(value * 100).toFixed(2)} %`;
}

/** A markdown table, numbers right-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-\d.,\s%sxh]*$/.test(r[i] ?? "")),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (numeric[i] ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
