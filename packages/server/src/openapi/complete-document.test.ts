import { describe, expect, it } from "vitest";
import { createTestApp } from "../test-app.ts";

type Operation = { security?: unknown[]; responses: Record<string, unknown>; requestBody?: unknown };

async function served() {
  const { app, close } = await createTestApp({ SWEEPLAB_TOKEN: "secret" });
  const response = await app.request("/openapi.json");
  const doc = (await response.json()) as {
    info: { version: string };
    servers: unknown[];
    paths: Record<string, Record<string, Operation>>;
  };
  await close();
  return { response, doc };
}

describe("the OpenAPI document", () => {
  it("is served without a token, with the server package's version and servers", async () => {
    const { response, doc } = await served();
    expect(response.status).toBe(200);
    expect(doc.info.version).toBe(
      (await import("../../package.json", { with: { type: "json" } })).default.version,
    );
    expect(doc.servers).toHaveLength(1);
  });

  it("documents 403, 429, 500 and 503 on every operation, 401 on the secured ones and 413/415 with bodies", async () => {
    const { doc } = await served();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(op.responses);
        expect(statuses, where).toEqual(expect.arrayContaining(["403", "429", "500", "503"]));
        expect(op.security, where).toBeDefined();
        if (op.security!.length > 0) expect(statuses, where).toContain("401");
        if (op.requestBody) expect(statuses, where).toEqual(expect.arrayContaining(["413", "415"]));
      }
    }
    expect(doc.paths["/healthz"]?.get?.security).toEqual([]);
    expect(doc.paths["/v1/session"]?.post?.security).toEqual([]);
  });
});

describe("a method a path does not take", () => {
  it("is a 405 problem naming the methods in Allow; an unknown path stays a 404", async () => {
    const { app, close } = await createTestApp();
    const wrong = await app.request("/v1/runs/run_1", { method: "PUT" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("DELETE, GET, HEAD");
    expect(await wrong.json()).toMatchObject({ status: 405, code: "METHOD_NOT_ALLOWED" });
    expect((await app.request("/v1/nothing")).status).toBe(404);
    await close();
  });
});
