import { describe, expect, it } from "vitest";
import { createTestApp } from "../test-app.ts";

type Operation = { operationId: string; responses: Record<string, unknown>; requestBody?: unknown };

/** Fills a path template: a real id where given, else a made-up one. */
const fill = (path: string, ids: Record<string, string>) =>
  path
    .replace("{id}", ids[path.startsWith("/v1/sweeps") ? "sweep" : "run"] ?? "x")
    .replace("{kind}", "importance");

describe("every status the service answers with is documented for its operation", () => {
  it("holds for requests without a token, with a bad token, with hostile bodies, ids and queries", async () => {
    const { app, close } = await createTestApp({ SWEEPLAB_TOKEN: "secret", SWEEPLAB_MAX_BODY_BYTES: "2048" });
    const doc = (await (await app.request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const auth = { Authorization: "Bearer secret" };
    const run = (await (
      await app.request("/v1/runs", {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({ config: { steps: 5 } }),
      })
    ).json()) as { id: string };
    const undocumented: string[] = [];
    const seen = new Set<number>();
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const variants: { name: string; path: string; init: RequestInit }[] = [
          { name: "no token", path: fill(template, { run: run.id }), init: {} },
          {
            name: "bad token",
            path: fill(template, { run: run.id }),
            init: { headers: { Authorization: "Bearer no" } },
          },
          {
            name: "unknown id",
            path: fill(template, { run: "run_nope", sweep: "swp_nope" }),
            init: { headers: auth },
          },
          { name: "real id", path: fill(template, { run: run.id }), init: { headers: auth } },
          {
            name: "bad query",
            path: `${fill(template, { run: run.id })}?limit=-1&format=gif&cursor=%00`,
            init: { headers: auth },
          },
          {
            name: "foreign host",
            path: fill(template, { run: run.id }),
            init: { headers: { ...auth, Host: "evil.example" } },
          },
        ];
        if (op.requestBody) {
          const post = (body: string, type = "application/json") => ({
            headers: { ...auth, "Content-Type": type },
            body,
          });
          variants.push(
            { name: "not JSON", path: fill(template, { run: run.id }), init: post("{nope") },
            { name: "wrong type", path: fill(template, { run: run.id }), init: post("a=1", "text/plain") },
            { name: "too large", path: fill(template, { run: run.id }), init: post(`"${"x".repeat(4096)}"`) },
            {
              name: "wrong shape",
              path: fill(template, { run: run.id }),
              init: post('{"config":{"steps":"many"}}'),
            },
          );
        }
        for (const v of variants) {
          const response = await app.request(`http://127.0.0.1${v.path}`, {
            method: method.toUpperCase(),
            ...v.init,
          });
          await response.arrayBuffer();
          seen.add(response.status);
          if (!(String(response.status) in op.responses))
            undocumented.push(`${method.toUpperCase()} ${template} (${v.name}) -> ${response.status}`);
        }
      }
    }
    await close();
    expect(undocumented).toEqual([]);
    // The variants did reach the statuses they aim at (a test that only ever saw 401 would prove nothing).
    expect([...seen].sort()).toEqual(expect.arrayContaining([200, 400, 401, 404, 413, 415]));
  });
});
