import { describe, expect, it } from "vitest";
import { runMetrics } from "../../db/schema.ts";
import { createTestApp } from "../../test-app.ts";

describe("metrics history", () => {
  it("is served a bounded page at a time, steps and evaluations merged", async () => {
    const { app, deps } = createTestApp();
    const { run } = deps.runs.submit({ config: { steps: 3000, logEverySteps: 1, evalEverySteps: 3 } });
    const rows = Array.from({ length: 3000 }, (_, i) => i + 1).flatMap((step) => [
      { runId: run.id, step, kind: "step" as const, loss: 1 / step },
      ...(step % 3 === 0 ? [{ runId: run.id, step, kind: "eval" as const, validationAccuracy: 0.5 }] : []),
    ]);
    for (let i = 0; i < rows.length; i += 500)
      deps.db
        .insert(runMetrics)
        .values(rows.slice(i, i + 500))
        .run();

    type Page = { points: { step: number; loss: number | null; validationAccuracy: number | null }[] };
    const page = async (query: string) =>
      (await (await app.request(`/v1/runs/${run.id}/metrics?${query}`)).json()) as Page & {
        nextAfterStep: number | null;
      };
    const first = await page("limit=1000");
    expect(first.points.map((p) => p.step)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(first.points[2]).toMatchObject({ step: 3, loss: 1 / 3, validationAccuracy: 0.5 });
    expect(first.nextAfterStep).toBe(1000);
    const last = await page("afterStep=2500&limit=1000");
    expect(last.points.map((p) => p.step)).toEqual(Array.from({ length: 500 }, (_, i) => 2501 + i));
    expect(last.nextAfterStep).toBeNull();
    const whole = await page("");
    expect([whole.points.length, whole.nextAfterStep]).toEqual([3000, null]);
    expect((await app.request(`/v1/runs/${run.id}/metrics?limit=1000000`)).status).toBe(400);

    const svg = await (await app.request(`/v1/runs/${run.id}/curves.svg`)).text();
    expect(svg).toMatch(/^<svg/);
  });
});
