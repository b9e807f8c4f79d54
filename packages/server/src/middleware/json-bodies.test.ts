import { describe, expect, it } from "vitest";
import { createTestApp } from "../test-app.ts";

const post = (body: unknown) => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

async function problem(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as { status: number; code: string; detail: string; errors?: unknown[] };
}

describe("strict request bodies", () => {
  it("refuses a run-config field at the top level instead of queueing a default run", async () => {
    const { app, deps } = await createTestApp();
    const body = await problem(await app.request("/v1/runs", post({ steps: -5 })));
    expect(body).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    expect(body.errors).toEqual([{ path: "steps", message: 'unknown field "steps"' }]);
    const list = (await (await app.request("/v1/runs")).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(0);
    expect(Object.values(await deps.store.countRunsByStatus()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("names a misspelt config field and the field it most likely meant, at every depth", async () => {
    const { app } = await createTestApp();
    const response = await app.request(
      "/v1/runs",
      post({
        config: {
          stpes: 100,
          model: { kind: "cnn", chanels: [8, 8] },
          optimizer: { kind: "sgd", learningrate: 0.1 },
          schedule: { kind: "constant", warmupSteps: 5 },
          augment: { maxShift: 2 },
          zzz: 1,
        },
      }),
    );
    const body = await problem(response);
    expect(body.status).toBe(400);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: "config.stpes", message: 'unknown field "stpes" (did you mean "steps"?)' },
        { path: "config.model.chanels", message: 'unknown field "chanels" (did you mean "channels"?)' },
        {
          path: "config.optimizer.learningrate",
          message: 'unknown field "learningrate" (did you mean "learningRate"?)',
        },
        { path: "config.schedule.warmupSteps", message: 'unknown field "warmupSteps"' },
        {
          path: "config.augment.maxShift",
          message: 'unknown field "maxShift" (did you mean "maxShiftPixels"?)',
        },
        { path: "config.zzz", message: 'unknown field "zzz"' },
      ]),
    );
  });

  it("refuses unknown fields in a prediction request", async () => {
    const { app } = await createTestApp();
    const response = await app.request("/v1/runs/run_x/predict", post({ images: [[0]], imgs: [] }));
    expect(await problem(response)).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
  });
});

describe("media types of state-changing requests", () => {
  it("answers 415 to a form, text or bodiless create, so a web page's simple request queues nothing", async () => {
    const { app } = await createTestApp();
    for (const init of [
      { method: "POST" },
      { method: "POST", body: "config=1" },
      { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=1" },
      { method: "POST", headers: { "Content-Type": "text/plain" }, body: "{}" },
      { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=x" }, body: "--x--" },
    ]) {
      const body = await problem(await app.request("/v1/runs", init));
      expect(body, JSON.stringify(init)).toMatchObject({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE" });
    }
    const list = (await (await app.request("/v1/runs")).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(0);
  });

  it("still takes JSON (with a charset), and bodiless cancels and deletes", async () => {
    const { app } = await createTestApp();
    const created = await app.request("/v1/runs", {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: "{}",
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    expect((await app.request(`/v1/runs/${id}/cancel`, { method: "POST" })).status).toBe(202);
    expect((await app.request(`/v1/runs/${id}`, { method: "DELETE" })).status).toBe(204);
  });
});
