import { buildParetoFront, type Objective, type ParetoTrial } from "@sweeplab/core";
import { describe, expect, it } from "vitest";
import { renderSvg } from "../runs/curves.ts";
import { objectiveLabel, paretoSpec } from "./pareto-plot.ts";

/** How many drawn items each data mark group of a kind holds (vega draws each line of a line mark in its own group). */
function markCounts(svg: string, kind: "line" | "symbol" | "rule"): number[] {
  const groups = svg.split(`<g class="mark-${kind} role-mark`).slice(1);
  return groups.map((g) => (g.slice(0, g.indexOf("</g>")).match(/<(path|line)/g) ?? []).length);
}

const OBJECTIVES: Objective[] = [
  { metric: "validationAccuracy", direction: "maximize" },
  { metric: "msPerStep", direction: "minimize" },
  { metric: "parameterCount", direction: "minimize" },
];

/** Eight configs once each, on a clear front of four (accuracy and time both grow with width), one without a result. */
function trials(): ParetoTrial[] {
  const widths = [16, 32, 64, 128];
  const onFront = widths.map((width, i) => ({
    id: `f${i}`,
    params: { width, lr: 0.001 },
    results: { validationAccuracy: 0.9 + 0.02 * i, msPerStep: 1 + 2 * i, parameterCount: 785 * width },
  }));
  const beaten = widths.map((width, i) => ({
    id: `b${i}`,
    params: { width, lr: 0.1 },
    results: { validationAccuracy: 0.5 + 0.02 * i, msPerStep: 10 + 2 * i, parameterCount: 785 * width + 1 },
  }));
  return [...onFront, ...beaten.slice(0, 3), { id: "x", params: { width: 8, lr: 1 }, results: {} }];
}

describe("the pareto plot", () => {
  it("with two objectives: every scored config a point, the front a line through its members with intervals", async () => {
    const objectives = OBJECTIVES.slice(0, 2);
    const configs = buildParetoFront(trials(), objectives);
    expect(configs.filter((c) => c.onFront)).toHaveLength(4);
    const svg = await renderSvg(paretoSpec({ objectives, configs }));
    expect(svg).toContain("Pareto front (4 of 7 configs)");
    // Rules: the front's intervals on each axis; one line through the front; a point per scored config.
    expect(markCounts(svg, "rule")).toEqual([4, 4]);
    expect(markCounts(svg, "line")).toEqual([1]);
    expect(markCounts(svg, "symbol")).toEqual([7]);
    expect(svg).toContain(objectiveLabel(objectives[1]!));
    expect(objectiveLabel(objectives[1]!)).toBe("ms per step (lower is better)");
  });

  it("with three objectives: the front's configs as parallel coordinates, one line each", async () => {
    const configs = buildParetoFront(trials(), OBJECTIVES);
    const front = configs.filter((c) => c.onFront);
    const svg = await renderSvg(paretoSpec({ objectives: OBJECTIVES, configs }));
    expect(svg).toContain(`Pareto front: ${front.length} of 7 configs (up is better on every axis)`);
    expect(markCounts(svg, "line")).toEqual(front.map(() => 1));
    for (const objective of OBJECTIVES) expect(svg).toContain(objectiveLabel(objective));
  });
});
