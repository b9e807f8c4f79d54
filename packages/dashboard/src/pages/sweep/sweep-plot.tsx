import type { SweepPlotKind } from "@sweeplab/sdk";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { useNearViewport } from "../../components/use-near-viewport.ts";

/**
 * Parses the service's SVG into an element this page can own: the figure is the server's own drawing (vega),
 * so only markup that could run code is dropped (scripts, foreign objects, event attributes, script links).
 */
export function parsePlotSvg(text: string): SVGSVGElement {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = doc.documentElement;
  if (svg.nodeName !== "svg" || doc.querySelector("parsererror")) throw new Error("the plot is not an SVG");
  for (const el of svg.querySelectorAll("script, foreignObject")) el.remove();
  for (const el of [svg, ...svg.querySelectorAll("*")])
    for (const attr of [...el.attributes])
      if (/^on/i.test(attr.name) || (/href$/i.test(attr.name) && !attr.value.startsWith("#")))
        el.removeAttribute(attr.name);
  return document.importNode(svg, true) as unknown as SVGSVGElement;
}

export interface SweepPlotProps {
  sweepId: string;
  kind: SweepPlotKind;
  title: string;
  /** Changes whenever the sweep's trials do: a new version refetches the plot (the old one stays meanwhile). */
  version: string;
  /** Refetch on a timer too (curves grow while trials train, between their status changes). */
  refreshMs?: number | false;
  /** False until the page's tables have drawn: a large sweep's plots wait for them. */
  enabled?: boolean;
}

/**
 * One of the sweep's plots, drawn by the service (`GET /v1/sweeps/{id}/plots/{kind}?format=svg`) and placed
 * inline, so it scales to the column, its marks are part of the page, and it needs nothing from any network.
 * The box keeps the last figure's aspect ratio while the next one loads: no layout jump on refresh. Asked for when
 * the figure nears the viewport: a page opened for its leaderboard does not have the service draw plots (a
 * 10,000-trial sweep's five take it seconds of CPU) that nobody scrolled to.
 */
export function SweepPlot({
  sweepId,
  kind,
  title,
  version,
  refreshMs = false,
  enabled = true,
}: SweepPlotProps) {
  const box = useRef<HTMLDivElement>(null);
  const figure = useRef<HTMLElement>(null);
  const near = useNearViewport(figure);
  const plot = useQuery({
    queryKey: queryKeys.sweepPlot(sweepId, kind, version),
    queryFn: async () => new TextDecoder().decode(await client.sweeps.plot(sweepId, kind, "svg")),
    placeholderData: keepPreviousData,
    refetchInterval: refreshMs,
    enabled: enabled && near,
  });
  useEffect(() => {
    const el = box.current;
    if (!el || !plot.data) return;
    const svg = parsePlotSvg(plot.data);
    const width = Number(svg.getAttribute("width")) || 600;
    const height = Number(svg.getAttribute("height")) || 300;
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", title);
    el.style.aspectRatio = `${width} / ${height}`;
    el.style.maxWidth = `${width}px`;
    // Below this a wide figure scrolls sideways (a phone) rather than shrinking past reading.
    el.style.minWidth = `${Math.min(width, Math.max(480, width / 2))}px`;
    el.replaceChildren(svg);
  }, [plot.data, title]);
  return (
    <figure ref={figure} className="chart sweep-plot" data-testid={`plot-${kind}`} id={kind}>
      {/* The figure carries its own title; the caption is for screen readers. */}
      <figcaption className="sr-only">{title}</figcaption>
      <div className="sweep-plot-scroll">
        <div ref={box} className="sweep-plot-box" aria-busy={plot.isFetching} />
      </div>
      {plot.isError ? <ErrorAlert error={plot.error} /> : null}
    </figure>
  );
}
