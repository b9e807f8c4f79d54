import { PLOT_KINDS, type SweepExport, type SweepImportResult } from "@sweeplab/contract";
import { createTestApp } from "@sweeplab/server";
import { describe, expect, expectTypeOf, it } from "vitest";
import { createClient } from "./client.ts";
import { type ApiError, isApiError } from "./errors.ts";

/** A client whose requests go straight to a fresh in-process app. */
async function clientOverApp() {
  const { app } = await createTestApp();
  const forward: typeof fetch = async (input, init) =>
    app.fetch(new Request(input as Request | string | URL, init));
  return createClient({ baseUrl: "http://sweeplab.test", fetch: forward, retry: 0 });
}

const space = {
  parameters: [{ name: "batch", path: "batchSize", type: "categorical" as const, values: [16, 32] }],
};

describe("sweeps.export, sweeps.import and sweeps.report", () => {
  it("moves a sweep to another service as an object or as the file's text, and fetches its report", async () => {
    const here = await clientOverApp();
    const there = await clientOverApp();
    const sweep = await here.sweeps.create({ space, trials: 2, parallelism: 2, base: { steps: 10 } });
    const file = await here.sweeps.export(sweep.id);
    expectTypeOf(file).toEqualTypeOf<SweepExport>();
    expect(file).toMatchObject({ format: "sweeplab.sweep-export", version: 1, sweep: { id: sweep.id } });

    const fromObject = await there.sweeps.import(file);
    expectTypeOf(fromObject).toEqualTypeOf<SweepImportResult>();
    const fromText = await there.sweeps.import(JSON.stringify(file));
    expect(fromObject.id).not.toBe(fromText.id);
    expect(Object.keys(fromText.runIds).sort()).toEqual(sweep.trialRuns.map((t) => t.runId).sort());
    // A running sweep's snapshot arrives ended: nothing of it trains there.
    expect((await there.sweeps.get(fromText.id)).status).toBe("canceled");

    const html = await here.sweeps.report(sweep.id);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<figure class="plot[^"]*" data-plot-kind=/g)?.length).toBe(PLOT_KINDS.length);
  });

  it("rejects a refused file and an unknown sweep with typed ApiErrors", async () => {
    const client = await clientOverApp();
    const refused = await client.sweeps.import('{"format":"other"}').catch((e: unknown) => e);
    expect(isApiError(refused)).toBe(true);
    expect(refused as ApiError).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    const missing = await client.sweeps.export("swp_nope").catch((e: unknown) => e);
    expect(missing as ApiError).toMatchObject({ status: 404, code: "SWEEP_NOT_FOUND" });
  });
});
