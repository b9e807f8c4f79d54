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
    const draw = () => {
      const figure = Plot.plot({ ...options(el.clientWidth), width: el.clientWidth, height });
      el.replaceChildren(figure);
    };
    draw();
    let last = el.clientWidth;
    const resize = new ResizeObserver(() => {
      if (el.clientWidth !== last) {
        last = el.clientWidth;
        draw();
      }
    });
    resize.observe(el);
    return () => resize.disconnect();
  }, [options, height]);
  return <div ref={box} className="plot-box" style={{ height }} role="img" aria-label={label} />;
}
