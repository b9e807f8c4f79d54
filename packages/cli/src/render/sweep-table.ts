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

/** The sweep's ranking: mean and spread over repeats, configs within seed noise of the best marked `~`. */
export function leaderboardTable(sweep: Sweep): string {
  const accuracy = sweep.metric.toLowerCase().includes("accuracy");
  const fmt = (v: number | null) => (v === null ? "-" : accuracy ? pct(v) : v.toFixed(4));
  const lines = [`rank  ${sweep.metric.padEnd(20)}  n  params`];
  for (const e of sweep.leaderboard) {
    const spread = e.std === null ? "" : ` ± ${accuracy ? (e.std * 100).toFixed(2) : e.std.toFixed(4)}`;
    const mark = e.mean === null ? " " : e.rank === 1 ? "*" : e.withinNoise ? "~" : " ";
    const missing = e.failures
      ? ` (${withoutResult(sweep, e.trialIds) || `${e.failures} without result`})`
      : "";
    lines.push(
      `${String(e.rank).padStart(3)}${mark}  ${`${fmt(e.mean)}${spread}`.padEnd(20)}  ${e.n}  ${params(e.params)}${missing}`,
    );
  }
  if (sweep.leaderboard.some((e) => e.mean !== null))
    lines.push("* best   ~ within seed noise of the best (two standard errors of the difference)");
  else lines.push("no trial has a result");
  if (sweep.stopReason) lines.push(`stopped: ${sweep.stopReason}`);
  return lines.join("\n");
}
