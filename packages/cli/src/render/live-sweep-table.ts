import { TERMINAL_STATUSES } from "@sweeplab/contract";
import type { SweepTrial } from "@sweeplab/sdk";
import { trialLine } from "./sweep-table.ts";

const ended = (trial: SweepTrial) => (TERMINAL_STATUSES as readonly string[]).includes(trial.status);

/**
 * A sweep's trials as they train. On a terminal, a trial that has ended is printed once, for good, and the trials
 * queued or training are redrawn in place below those lines, each cut to the terminal's width (a line that wraps
 * would break the redraw) and no more of them than the terminal has rows. Elsewhere (a pipe, a CI log) it writes one
 * plain line per trial each time its status changes, with no control sequences.
 */
export class LiveSweepTable {
  private readonly active = new Map<string, SweepTrial>();
  private readonly statuses = new Map<string, string>();
  private drawn = 0;

  constructor(
    private readonly metricIsAccuracy: boolean,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(trial: SweepTrial): void {
    const before = this.statuses.get(trial.runId);
    this.statuses.set(trial.runId, trial.status);
    if (!this.out.isTTY) {
      if (before !== trial.status) this.out.write(`${trialLine(trial, this.metricIsAccuracy)}\n`);
      return;
    }
    if (!ended(trial)) {
      this.active.set(trial.runId, trial);
      this.redraw([]);
    } else if (before !== trial.status) {
      this.active.delete(trial.runId);
      this.redraw([trialLine(trial, this.metricIsAccuracy)]);
    }
  }

  /** Leaves the last drawing on screen; what is written next starts below it. */
  finish(): void {
    this.drawn = 0;
    this.active.clear();
  }

  private redraw(permanent: string[]): void {
    const width = Math.max(20, (this.out.columns || 80) - 1);
    const fit = (line: string) => (line.length > width ? `${line.slice(0, width - 1)}…` : line);
    const trials = [...this.active.values()].sort(
      (a, b) => a.trialIndex - b.trialIndex || a.repeatIndex - b.repeatIndex,
    );
    const rows = Math.max(2, (this.out.rows || 24) - 2);
    const shown = trials.length > rows ? trials.slice(0, rows - 1) : trials;
    const lines = shown.map((t) => fit(trialLine(t, this.metricIsAccuracy)));
    if (shown.length < trials.length) lines.push(`… and ${trials.length - shown.length} more`);
    const clear = this.drawn ? `\x1b[${this.drawn}A\x1b[0J` : "";
    this.out.write(`${clear}${[...permanent, ...lines].map((l) => `${l}\n`).join("")}`);
    this.drawn = lines.length;
  }
}
