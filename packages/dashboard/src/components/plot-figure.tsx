import * as Plot from "@observablehq/plot";
import { useEffect, useRef } from "react";

/** Renders an Observable Plot figure into a box of fixed height; rebuilt when `options` change. */
export function PlotFigure({
  options,
  height,
  label,
}: {
  options: (width: number) => Plot.PlotOptions;
  height: number;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    let drawnWidth = 0;
    // Drawn once the box has a width (a box still being laid out reports 0), again when the width changes.
    const draw = () => {
      const width = el.clientWidth;
      if (width < 80 || width === drawnWidth) return;
      drawnWidth = width;
      el.replaceChildren(Plot.plot({ ...options(width), width, height }));
    };
    draw();
    const resize = new ResizeObserver(draw);
    resize.observe(el);
    return () => resize.disconnect();
  }, [options, height]);
  return <div ref={box} className="plot-box" style={{ height }} role="img" aria-label={label} />;
}
