import type { RunMetrics } from "@sweeplab/sdk";
import asciichart from "asciichart";

/** Small terminal charts of training loss and validation accuracy over steps. */
export function renderCharts(metrics: RunMetrics, width = 60): string {
  const sample = (values: number[]) => {
    if (values.length <= width) return values;
    return Array.from(
      { length: width },
      (_, i) => values[Math.round((i * (values.length - 1)) / (width - 1))]!,
    );
  };
  const loss = metrics.points.map((p) => p.loss).filter((v): v is number => typeof v === "number");
  const accuracy = metrics.points
    .map((p) => p.validationAccuracy)
    .filter((v): v is number => typeof v === "number")
    .map((v) => v * 100);
  const blocks: string[] = [];
  if (loss.length > 1) blocks.push(`training loss\n${asciichart.plot(sample(loss), { height: 8 })}`);
  if (accuracy.length > 1)
    blocks.push(`validation accuracy (%)\n${asciichart.plot(sample(accuracy), { height: 8 })}`);
  return blocks.join("\n\n") || "(not enough points to chart yet)";
}
