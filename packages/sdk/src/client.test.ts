import { createTestApp } from "@sweeplab/server";
import { describe, expect, expectTypeOf, it } from "vitest";
import { createClient, type Run, type RunCreate } from "./client.ts";
import { type ApiError, isApiError } from "./errors.ts";

/** A client whose requests go straight to an in-process app. */
async function clientOverApp(env: Record<string, string> = {}, token?: string) {
  const { app } = await createTestApp(env);
  const forward: typeof fetch = async (input, init) =>
    app.fetch(new Request(input as Request | string | URL, init));
  return createClient({ baseUrl: "http://sweeplab.test", fetch: forward, token, retry: 0 });
}

describe("createClient", () => {
  it("creates, reads and lists runs with types from the spec", async () => {
    const client = await clientOverApp();
    const run = await client.runs.create({
      config: { steps: 10, model: { kind: "cnn", batchNorm: true } },
      tags: ["sdk"],
    });
    expectTypeOf(run).toEqualTypeOf<Run>();
    expect(run).toMatchObject({
      status: "queued",
      tags: ["sdk"],
      config: { steps: 10, model: { kind: "cnn", batchNorm: true } },
    });
    expect((await client.runs.get(run.id)).id).toBe(run.id);
    for (let i = 0; i < 4; i++) await client.runs.create({ config: { steps: 5 } });
    const all: string[] = [];
    for await (const r of client.runs.listAll({ limit: 2 })) all.push(r.id);
    expect(new Set(all).size).toBe(5);
  });

  it("turns a problem into a typed ApiError with code, detail and request id", async () => {
    const client = await clientOverApp();
    const error = await client.runs.create({ config: { steps: -5 } }).catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    const apiError = error as ApiError;
    expect(apiError).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    expect(apiError.errors?.[0]?.path).toBe("config.steps");
    expect(apiError.requestId).toMatch(/[0-9a-f-]{36}/);
    await expect(client.runs.get("run_none")).rejects.toMatchObject({ status: 404, code: "RUN_NOT_FOUND" });
  });

  it("sends the bearer token", async () => {
    await expect((await clientOverApp({ SWEEPLAB_TOKEN: "t0k" })).status()).rejects.toMatchObject({
      status: 401,
    });
    const status = await (await clientOverApp({ SWEEPLAB_TOKEN: "t0k" }, "t0k")).status();
    expect(status.queueDepth).toBe(0);
  });

  it("returns the same run for the same idempotency key", async () => {
    const client = await clientOverApp();
    const a = await client.runs.create({ config: { steps: 3 } }, { idempotencyKey: "same" });
    const b = await client.runs.create({ config: { steps: 3 } }, { idempotencyKey: "same" });
    expect(b.id).toBe(a.id);
  });
});

describe("types come from the OpenAPI document", () => {
  it("rejects fields the spec does not have, at compile time", () => {
    // Requests send the input shape (defaults apply); runs carry the resolved one, every field present.
    expectTypeOf<NonNullable<RunCreate["config"]>["steps"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Run["config"]["steps"]>().toEqualTypeOf<number>();
    expectTypeOf<Run["config"]["optimizer"]["learningRate"]>().toEqualTypeOf<number>();
    expectTypeOf<Run["status"]>().toEqualTypeOf<
      "queued" | "running" | "succeeded" | "failed" | "canceled" | "diverged" | "pruned"
    >();
    // @ts-expect-error `stepz` is not a RunConfig field
    const wrongField: RunCreate = { config: { stepz: 10 } };
    // @ts-expect-error activations are an enum in the spec
    const wrongEnum: RunCreate = { config: { model: { kind: "mlp", activation: "swish" } } };
    expect([wrongField, wrongEnum]).toHaveLength(2);
  });
});
