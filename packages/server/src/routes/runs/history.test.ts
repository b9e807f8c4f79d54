import BetterSqlite3 from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { describe, expect, it } from "vitest";
import { runMetrics } from "../../store/schema-sqlite.ts";
import { createTestApp } from "../../test-app.ts";

describe("metrics history", () => {
  it("is served a bounded page at a time, steps and evaluations merged", async () => {
    const { app, deps, close } = await createTestApp();
    const { run } = await deps.runs.submit({ config: { steps: 3000, logEverySteps: 1, evalEverySteps: 3 } });
    const rows = Array.from({ length: 3000 }, (_, i) => i + 1).flatMap((step) => [
      { runId: run.id, step, kind: "step" as const, loss: 1 / step },
      ...(step % 3 === 0 ? [{ runId: run.id, step, kind: "eval" as const, validationAccuracy: 0.5 }] : []),
    ]);
    // Rows as a long run's worker would have stored them, written straight into the SQLite file.
    const db = drizzle(new BetterSqlite3(deps.store.location), { casing: "snake_case" });
    for (let i = 0; i < rows.length; i += 500)
      db.insert(runMetrics)
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
    await close();
  });
});
