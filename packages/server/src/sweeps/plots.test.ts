import { parameterImportance, parseSearchSpace } from "@sweeplab/core";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { renderSvg, svgToPng } from "../runs/curves.ts";
import { sweepTrials } from "./plot-fixtures.ts";
import {
  bestSoFarSpec,
  importanceSpec,
  metricByParameterSpec,
  parallelCoordinatesSpec,
  parameterLabel,
  validationCurvesSpec,
} from "./plots.ts";

/**
 * How many drawn items each data mark group of a kind holds: one `<path>` per point or bar; vega draws each line
 * of a grouped line mark in a group of its own, so seven lines are seven groups of one.
 */
function markCounts(svg: string, kind: "line" | "symbol" | "rect"): number[] {
  const groups = svg.split(`<g class="mark-${kind} role-mark`).slice(1);
  return groups.map((g) => (g.slice(0, g.indexOf("</g>")).match(/<path/g) ?? []).length);
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  return { width: Number(match?.[1]), height: Number(match?.[2]) };
}

/** The PNG decodes, at twice the SVG's size (svgToPng renders at zoom 2). */
async function expectPng(svg: string) {
  const png = PNG.sync.read(Buffer.from(await svgToPng(svg)));
  const { width, height } = svgSize(svg);
  expect([png.width, png.height]).toEqual([2 * width, 2 * height]);
}

const trials = sweepTrials();
const logParameters = ["adamwLearningRate", "sgdLearningRate"];

describe("sweep plots", () => {
  it("parallel coordinates: one line per trial with a result", async () => {
    const svg = await renderSvg(parallelCoordinatesSpec(trials, { logParameters }));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(markCounts(svg, "line")).toEqual(new Array(7).fill(1));
    for (const axis of ["batchSize", "optimizer", "activation", "validation accuracy"])
      expect(svg).toContain(`>${axis}<`);
    await expectPng(svg);
  });

  it("metric against each parameter: one panel per parameter, one point per trial that used it", async () => {
    const svg = await renderSvg(metricByParameterSpec(trials, { logParameters }));
    const scored = trials.filter((t) => t.value !== null);
    const used = (name: string) => scored.filter((t) => t.params[name] !== undefined).length;
    const names = ["batchSize", "optimizer", "adamwLearningRate", "activation", "sgdLearningRate"].filter(
      (n) => scored.some((t) => t.params[n] !== undefined),
    );
    const counts = markCounts(svg, "symbol");
    expect(counts).toHaveLength(names.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(names.reduce((a, n) => a + used(n), 0));
    expect(svg).toContain(">sgd momentum=0.9<");
    await expectPng(svg);
  });

  it("best so far: a point per result and one step line", async () => {
    const svg = await renderSvg(bestSoFarSpec(trials));
    expect(markCounts(svg, "symbol")).toEqual([7]);
    expect(markCounts(svg, "line")).toEqual([1]);
    await expectPng(svg);
  });

  it("validation curves: one line per trial that evaluated", async () => {
    const svg = await renderSvg(validationCurvesSpec(trials));
    expect(markCounts(svg, "line")).toEqual(new Array(7).fill(1));
    await expectPng(svg);
  });

  it("importance: one bar per parameter", async () => {
    const space = parseSearchSpace({
      parameters: [
        { name: "batchSize", path: "batchSize", type: "categorical", values: [64, 128, 256] },
        { name: "activation", path: "model.activation", type: "categorical", values: ["silu", "relu"] },
      ],
    });
    const importance = parameterImportance(space, trials);
    const svg = await renderSvg(importanceSpec(importance));
    expect(markCounts(svg, "rect")).toEqual([2]);
    await expectPng(svg);
  });

  it("labels object values by kind and settings", () => {
    expect(parameterLabel({ kind: "sgd", momentum: 0.9 })).toBe("sgd momentum=0.9");
    expect(parameterLabel(128)).toBe(128);
    expect(parameterLabel("relu")).toBe("relu");
  });
});
