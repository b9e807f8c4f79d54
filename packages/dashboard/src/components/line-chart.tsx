import { useEffect, useRef } from "react";
import uPlot, { type AlignedData } from "uplot";
import { formatTick } from "../format.ts";
import { chartColors } from "./chart-colors.ts";

export interface LineSeries {
  label: string;
  /** One value per x (null where this series has no point at that step). */
  values: (number | null)[];
  dashed?: boolean;
}

export interface LineChartProps {
  title: string;
  steps: number[];
  series: LineSeries[];
  /** Fixed height: streaming points never change the layout. */
  height?: number;
  yLabel?: string;
  logY?: boolean;
}

/**
 * A uPlot line chart in a fixed-size box, updated in place as points stream in (setData, no re-creation).
 * `data-points` and `data-last-step` expose what is drawn, for people using devtools and for the browser tests.
 */
export function LineChart({ title, steps, series, height = 220, yLabel, logY }: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The chart is re-created only when the set of series changes; data flows through setData below.
  const shape = series.map((s) => `${s.label}${s.dashed ? "~" : ""}`).join("|");

  useEffect(() => {
    const el = box.current!;
    const colors = chartColors();
    const axis = { stroke: colors.axis, grid: { stroke: colors.grid }, ticks: { stroke: colors.grid } };
    plot.current = new uPlot(
      {
        width: el.clientWidth,
        height,
        scales: { x: { time: false }, y: logY ? { distr: 3 } : {} },
        axes: [
          { ...axis, label: "step" },
          {
            ...axis,
            label: yLabel,
            size: 60,
            // Log axes hand over null for the ticks they skip.
            values: (_u: uPlot, splits: (number | null)[]) =>
              splits.map((v) => (v == null ? "" : formatTick(v))),
          },
        ],
        series: [
          { label: "step" },
          ...shape.split("|").map((label, i) => ({
            label: label.replace(/~$/, ""),
            stroke: colors.series[i % colors.series.length],
            width: 2,
            spanGaps: true,
            dash: label.endsWith("~") ? [6, 4] : undefined,
            points: { show: false },
          })),
        ],
        legend: { live: true },
      },
      [[], ...shape.split("|").map(() => [])] as AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, height, logY, yLabel]);

  useEffect(() => {
    plot.current?.setData([steps, ...series.map((s) => s.values)] as AlignedData);
  }, [steps, series]);

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div
        ref={box}
        className="chart-box"
        style={{ minHeight: height + 70 }}
        data-points={steps.length}
        data-last-step={steps.at(-1) ?? 0}
        role="img"
        aria-label={`${title}: ${series.map((s) => s.label).join(", ")} over ${steps.length} steps`}
      />
    </figure>
  );
}
