import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

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

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, { background: "white", fitTo: { mode: "zoom", value: 2 } }).render().asPng();
}
