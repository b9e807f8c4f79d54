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

describe("guessing tokens", () => {
  const LIMITED = {
    SWEEPLAB_TOKEN: "s3cret-token",
    SWEEPLAB_AUTH_MAX_FAILURES: "3",
    SWEEPLAB_TRUST_PROXY: "1",
  };
  const from = (address: string, headers: Record<string, string> = {}) => ({
    headers: { "X-Forwarded-For": `203.0.113.9, ${address}`, ...headers },
  });
  const loginFrom = (app: Awaited<ReturnType<typeof createTestApp>>["app"], address: string, token: string) =>
    app.request("/v1/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...from(address).headers },
      body: JSON.stringify({ token }),
    });

  it("answers 429 with Retry-After once an address has failed N times, logins and bearer tokens alike", async () => {
    const { app } = await createTestApp(LIMITED);
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await loginFrom(app, "198.51.100.7", `guess-${i}`)).status);
    const bearer = (token: string) =>
      app.request("/v1/runs", from("198.51.100.7", { Authorization: `Bearer ${token}` }));
    statuses.push((await bearer("guess-2")).status);
    // Blocked now: even the right token is not looked at, so a guess cannot tell whether it was right.
    const refused = [
      await bearer("guess-3"),
      await loginFrom(app, "198.51.100.7", "s3cret-token"),
      await bearer("s3cret-token"),
    ];
    expect(statuses).toEqual([401, 401, 401]);
    for (const response of refused) {
      expect(response.status).toBe(429);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await response.json()) as { code: string }).code).toBe("TOO_MANY_AUTH_FAILURES");
    }
    // Another address is not held back for it.
    expect(
      (await app.request("/v1/runs", from("198.51.100.8", { Authorization: "Bearer s3cret-token" }))).status,
    ).toBe(200);
    expect((await loginFrom(app, "198.51.100.8", "s3cret-token")).status).toBe(204);
  });

  it("never limits an address whose tokens are right, nor counts unknown session cookies", async () => {
    const { app } = await createTestApp(LIMITED);
    for (let i = 0; i < 20; i++) {
      const ok = await app.request(
        "/v1/runs",
        from("198.51.100.20", { Authorization: "Bearer s3cret-token" }),
      );
      expect(ok.status).toBe(200);
      const stale = await app.request(
        "/v1/runs",
        from("198.51.100.20", { Cookie: "sweeplab_session=stale" }),
      );
      expect(stale.status).toBe(401);
    }
    // Failures below the limit are forgotten after a success.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) expect((await loginFrom(app, "198.51.100.21", "nope")).status).toBe(401);
      expect((await loginFrom(app, "198.51.100.21", "s3cret-token")).status).toBe(204);
    }
  });

  it("ignores X-Forwarded-For unless the proxy is trusted", async () => {
    const { app } = await createTestApp({ ...LIMITED, SWEEPLAB_TRUST_PROXY: "0" });
    for (let i = 0; i < 3; i++)
      expect((await loginFrom(app, `198.51.100.${30 + i}`, "nope")).status).toBe(401);
    // Every request came from the same (in-process) client, whatever its header claimed.
    expect((await loginFrom(app, "198.51.100.99", "nope")).status).toBe(429);
  });
});

describe("the session cookie over TLS", () => {
  it("is Secure and __Host- prefixed when a trusted proxy says https, and authenticates", async () => {
    const { app } = await createTestApp({ SWEEPLAB_TOKEN: "s3cret-token", SWEEPLAB_TRUST_PROXY: "1" });
    const res = await app.request("/v1/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-Proto": "https" },
      body: JSON.stringify({ token: "s3cret-token" }),
    });
    const header = res.headers.get("set-cookie")!;
    expect(header).toMatch(/^__Host-sweeplab_session=[A-Za-z0-9_-]{43};/);
    expect(header).toContain("Secure");
    expect(header).toContain("Path=/");
    expect(header).not.toContain("Domain");
    expect((await app.request("/v1/runs", { headers: { Cookie: cookieOf(res) } })).status).toBe(200);
    const out = await app.request("/v1/session", { method: "DELETE", headers: { Cookie: cookieOf(res) } });
    expect(out.headers.get("set-cookie")).toMatch(/^__Host-sweeplab_session=;.*Max-Age=0.*Secure/);
    expect((await app.request("/v1/runs", { headers: { Cookie: cookieOf(res) } })).status).toBe(401);
  });

  it("ignores X-Forwarded-Proto from an untrusted client: plain cookie, not Secure", async () => {
    const { app } = await createTestApp({ SWEEPLAB_TOKEN: "s3cret-token" });
    const res = await app.request("/v1/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-Proto": "https" },
      body: JSON.stringify({ token: "s3cret-token" }),
    });
    expect(res.headers.get("set-cookie")).toMatch(/^sweeplab_session=/);
    expect(res.headers.get("set-cookie")).not.toContain("Secure");
  });
});
