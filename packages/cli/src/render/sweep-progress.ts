// One line on a sweep's budget, why it stopped and when it should end: `sweeplab sweep show` prints it.
import type { SweepSummary } from "@sweeplab/sdk";

/** "3m 20s", "1h 05m", "42s": how long until `at`, from `now`. */
export function untilText(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((at - now) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/** The budget, the estimated finish (running) or the stop reason (ended), or undefined when none applies. */
export function progressLine(sweep: SweepSummary, now = Date.now()): string | undefined {
  const parts: string[] = [];
  const budget = sweep.budget;
  if (budget) {
    const limits = [
      budget.wallClockSeconds !== undefined ? `${+(budget.wallClockSeconds / 60).toFixed(2)} min` : undefined,
      budget.maxTrials !== undefined ? `${budget.maxTrials} trial runs` : undefined,
    ].filter(Boolean);
    parts.push(`budget ${limits.join(", ")}`);
  }
  if (sweep.warmStartFrom) parts.push(`warm-started from ${sweep.warmStartFrom}`);
  if (sweep.status === "running" && sweep.estimatedFinishAt) {
    const at = Date.parse(sweep.estimatedFinishAt);
    parts.push(`estimated finish ${new Date(at).toISOString().slice(11, 19)} UTC (in ${untilText(at, now)})`);
  } else if (sweep.status === "running") {
    parts.push("estimated finish: after its first trial");
  }
  if (sweep.stopReason) parts.push(`stopped: ${sweep.stopReason}`);
  return parts.length > 0 ? parts.join("; ") : undefined;
}
