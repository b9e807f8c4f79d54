import { describe, expect, it } from "vitest";
import { createTestApp } from "../../test-app.ts";

const create = async (config: object, env: Record<string, string> = {}) =>
  (await createTestApp(env)).app.request("/v1/runs", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ config }),
  });

describe("run admission", () => {
  it("refuses the largest accepted config with a problem naming its memory estimate", async () => {
    const response = await create({
      batchSize: 4096,
      model: { kind: "cnn", channels: [256, 256], denseWidth: 4096 },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as { code: string; detail: string };
    expect(body.code).toBe("RUN_TOO_LARGE");
    expect(body.detail).toMatch(/needs about \d{5,} MB \(parameters 5\d\d MB,.*over the 4096 MB budget/);
  });

  it("takes the default and recipe-sized runs, and follows the configured budget", async () => {
    expect((await create({})).status).toBe(202);
    expect((await create({ model: { kind: "cnn", batchNorm: true }, batchSize: 128 })).status).toBe(202);
    expect((await create({}, { SWEEPLAB_MAX_RUN_MEMORY_MB: "100" })).status).toBe(422);
  });

  it("refuses a run that would log every step for 200,000 steps", async () => {
    const response = await create({ steps: 200_000, logEverySteps: 1 });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("logEverySteps: must be at least 20");
  });
});
