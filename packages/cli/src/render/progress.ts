import type { SequencedRunEvent } from "@sweeplab/sdk";
import { formatDuration, scientific } from "./format.ts";

const WIDTH = 28;

/**
 * A one-line progress bar (step, loss, lr, validation accuracy, ETA) redrawn in place on a terminal; elsewhere
 * (pipes, CI logs) one plain line per evaluation.
 */
export class ProgressBar {
  private totalSteps = 0;
  private step = 0;
  private loss: number | undefined;
  private learningRate: number | undefined;
  private validationAccuracy: number | null | undefined;
  private readonly startedAt = Date.now();
  private startStep = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  get lastLoss() {
    return this.loss;
  }
  get lastLearningRate() {
    return this.learningRate;
  }

  update(event: SequencedRunEvent): void {
    switch (event.type) {
      case "started":
        this.totalSteps = event.config.steps ?? 0;
        this.startStep = event.resumedFromStep ?? 0;
        break;
      case "step":
        this.step = event.step;
        this.loss = event.loss;
        this.learningRate = event.learningRate;
        break;
      case "eval":
        this.validationAccuracy = event.validationAccuracy;
        if (!this.out.isTTY) this.out.write(`${this.line()}\n`);
        break;
      default:
        return;
    }
    if (this.out.isTTY) this.out.write(`\r${this.line()}\x1b[K`);
  }

  finish(): void {
    if (this.out.isTTY) this.out.write("\n");
  }

  private line(): string {
    const fraction = this.totalSteps ? this.step / this.totalSteps : 0;
    const filled = Math.round(fraction * WIDTH);
    const elapsed = (Date.now() - this.startedAt) / 1000;
    const done = this.step - this.startStep;
    const eta = done > 0 ? (elapsed / done) * (this.totalSteps - this.step) : Number.NaN;
    const parts = [
      `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`,
      `step ${this.step}/${this.totalSteps}`,
      `loss ${this.loss?.toFixed(4) ?? "-"}`,
      `lr ${this.learningRate === undefined ? "-" : scientific(this.learningRate)}`,
      `val acc ${this.validationAccuracy == null ? "-" : `${(this.validationAccuracy * 100).toFixed(2)} %`}`,
      `ETA ${formatDuration(eta)}`,
    ];
    return parts.join("  ");
  }
}
