import type { TopLevelSpec } from "vega-lite";
import { renderer } from "./render.ts";

export interface CurvePoint {
  step: number;
  series: string;
  value: number;
}

/**
 * The three panels the reference study judged runs by: train vs validation loss, train vs validation accuracy,
 * and the learning rate, over steps. Rendered by vega-lite to SVG (and by resvg to PNG).
 */
export function curvesSpec(
  title: string,
  loss: CurvePoint[],
  accuracy: CurvePoint[],
  learningRate: CurvePoint[],
): TopLevelSpec {
  const panel = (values: CurvePoint[], yTitle: string, yScale: Record<string, unknown> = {}) => ({
    width: 300,
    height: 220,
    data: { values },
    mark: { type: "line" as const, point: values.length < 40 },
    encoding: {
      x: { field: "step", type: "quantitative" as const, title: "step" },
      y: { field: "value", type: "quantitative" as const, title: yTitle, scale: { zero: false, ...yScale } },
      color: { field: "series", type: "nominal" as const, title: null },
    },
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    background: "white",
    hconcat: [panel(loss, "loss"), panel(accuracy, "accuracy"), panel(learningRate, "learning rate")],
    resolve: { scale: { color: "independent" } },
  } as TopLevelSpec;
}

/** The SVG of a Vega-Lite spec, drawn on the renderer's thread (render.ts). */
export function renderSvg(spec: TopLevelSpec): Promise<string> {
  return renderer.svg(spec);
}

/** A PNG of an SVG at twice its size, drawn on the renderer's thread. */
export function svgToPng(svg: string): Promise<Uint8Array> {
  return renderer.png(svg);
}
