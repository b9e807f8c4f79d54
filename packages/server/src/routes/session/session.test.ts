import { describe, expect, it } from "vitest";
import { createTestApp } from "../../test-app.ts";

const login = (app: Awaited<ReturnType<typeof createTestApp>>["app"], token: string) =>
  app.request("/v1/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token }),
  });

const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0]!;

describe("browser sessions", () => {
  it("trades a valid token for an HttpOnly, SameSite=Strict cookie that authenticates requests", async () => {
    const { app } = await createTestApp({ SWEEPLAB_TOKEN: "s3cret-token" });
    const res = await login(app, "s3cret-token");
    expect(res.status).toBe(204);
    const header = res.headers.get("set-cookie")!;
    expect(header).toMatch(/^sweeplab_session=[A-Za-z0-9_-]{43};/);
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Strict");
    expect(header).toContain("Path=/");
    expect(header).not.toContain("s3cret-token");
    const runs = await app.request("/v1/runs", { headers: { Cookie: cookieOf(res) } });
    expect(runs.status).toBe(200);
  });

  it("rejects a wrong token with a 401 problem and sets no cookie", async () => {
    const { app } = await createTestApp({ SWEEPLAB_TOKEN: "s3cret-token" });
    const res = await login(app, "guess");
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(((await res.json()) as { code: string }).code).toBe("UNAUTHORIZED");
  });

  it("rejects a made-up session cookie", async () => {
    const { app } = await createTestApp({ SWEEPLAB_TOKEN: "s3cret-token" });
    const res = await app.request("/v1/runs", { headers: { Cookie: "sweeplab_session=made-up" } });
    expect(res.status).toBe(401);
  });

  it("logout ends the session on the server and clears the cookie", async () => {
    const { app } = await createTestApp({ SWEEPLAB_TOKEN: "s3cret-token" });
    const cookie = cookieOf(await login(app, "s3cret-token"));
    const out = await app.request("/v1/session", { method: "DELETE", headers: { Cookie: cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^sweeplab_session=;.*Max-Age=0/);
    expect((await app.request("/v1/runs", { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("is in the OpenAPI document", async () => {
    const { app } = await createTestApp();
    const doc = (await (await app.request("/openapi.json")).json()) as { paths: Record<string, object> };
    expect(Object.keys(doc.paths["/v1/session"] ?? {}).sort()).toEqual(["delete", "post"]);
  });
});
