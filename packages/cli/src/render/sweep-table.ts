import type { Sweep, SweepTrial } from "@sweeplab/sdk";

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? "-" : `${(v * 100).toFixed(2)} %`;

/** A parameter value as a table cell: numbers short, objects as their kind. */
export function formatParam(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toPrecision(3);
  if (typeof value === "object" && value !== null)
    return String((value as { kind?: unknown }).kind ?? JSON.stringify(value));
  return String(value);
}

const params = (p: Record<string, unknown>) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${formatParam(v)}`)
    .join(" ");

/** One line per trial run: index, status, progress, metric and parameters. */
export function trialLine(t: SweepTrial, metricIsAccuracy: boolean): string {
  const value = t.value === null ? "-" : metricIsAccuracy ? pct(t.value) : t.value.toFixed(4);
  const repeat = t.repeatIndex > 0 ? `.${t.repeatIndex}` : "";
  return (
    `#${t.trialIndex}${repeat}`.padEnd(6) +
    `${t.status.padEnd(10)}${`${t.step}/${t.totalSteps}`.padEnd(12)}${value.padEnd(10)}${params(t.params)}`
  );
}

/** Why a config has fewer results than runs: its runs' statuses other than succeeded, e.g. "1 diverged". */
function withoutResult(sweep: Sweep, runIds: readonly (string | number)[]): string {
  const counts = new Map<string, number>();
  for (const t of sweep.trialRuns)
    if (runIds.includes(t.runId) && (t.status !== "succeeded" || t.value === null))
      counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
}

/** The metrics' column headings, short enough to leave the parameters room in 80 columns. */
const METRIC_LABELS: Record<string, string> = {
  validationAccuracy: "val acc",
  validationLoss: "val loss",
  testAccuracy: "test acc",
};

/** `words` after `prefix`, wrapped at spaces to `width` with continuation lines indented under the first word. */
function hangingIndent(prefix: string, words: string, width: number | undefined): string {
  if (!width || prefix.length + words.length <= width) return `${prefix}${words}`;
  const lines = [prefix];
  for (const word of words.split(" ")) {
    const last = lines.length - 1;
    const line = lines[last]!;
    const fresh = line.length === prefix.length;
    if (fresh || line.length + 1 + word.length <= width)
      lines[last] = fresh ? `${line}${word}` : `${line} ${word}`;
    else lines.push(`${" ".repeat(prefix.length)}${word}`);
  }
  return lines.join("\n");
}

/**
 * The sweep's ranking: mean and spread over repeats, configs within seed noise of the best marked `~`. With a
 * `width` (a terminal's), a config's parameters wrap under one another; without one, each config is one line.
 */
export function leaderboardTable(sweep: Sweep, width?: number): string {
  const accuracy = sweep.metric.toLowerCase().includes("accuracy");
  const fmt = (v: number | null) => (v === null ? "-" : accuracy ? pct(v) : v.toFixed(4));
  const rows = sweep.leaderboard.map((e) => {
    const spread = e.std === null ? "" : ` ± ${accuracy ? (e.std * 100).toFixed(2) : e.std.toFixed(4)}`;
    const missing = e.failures
      ? ` (${withoutResult(sweep, e.trialIds) || `${e.failures} without result`})`
      : "";
    const front = sweep.pareto ? (e.onFront ? "P" : " ") : "";
    return {
      rank: `${String(e.rank).padStart(4)}${e.mean === null ? " " : e.rank === 1 ? "*" : e.withinNoise ? "~" : " "}${front}`,
      value: `${fmt(e.mean)}${spread}`,
      n: String(e.n),
      rest: `${params(e.params)}${missing}`,
    };
  });
  const label = METRIC_LABELS[sweep.metric] ?? sweep.metric;
  const valueWidth = Math.max(label.length, ...rows.map((r) => r.value.length));
  const nWidth = Math.max(1, ...rows.map((r) => r.n.length));
  const lines = [
    `rank ${sweep.pareto ? "  " : " "}${label.padEnd(valueWidth)}  ${"n".padStart(nWidth)}  params`,
  ];
  for (const r of rows)
    lines.push(
      hangingIndent(`${r.rank} ${r.value.padEnd(valueWidth)}  ${r.n.padStart(nWidth)}  `, r.rest, width),
    );
  if (rows.length > sweep.leaderboard.filter((e) => e.mean === null).length)
    lines.push(
      `* best  ~ within seed noise of the best (2 standard errors of the difference)${sweep.pareto ? "  P on the Pareto front" : ""}`,
    );
  else lines.push("no trial has a result");
  if (sweep.stopReason) lines.push(`stopped: ${sweep.stopReason}`);
  return lines.join("\n");
}
