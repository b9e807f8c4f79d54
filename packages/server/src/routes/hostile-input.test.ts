// Input that PostgreSQL cannot take (a NUL character, numbers beyond its columns) is refused at the edge with a
// 400 problem on both dialects: before, SQLite stored or answered it and PostgreSQL failed with a 500.
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp } from "../test-app.ts";
import { DIALECTS, type TestDatabase } from "../test-support/databases.ts";

const post = (body: unknown) => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** A cursor's JSON written by hand: 1e400 parses to Infinity, which JSON.stringify cannot write. */
const rawCursor = (json: string) => Buffer.from(json).toString("base64url");
const SPACE = {
  parameters: [{ name: "lr", path: "optimizer.learningRate", type: "categorical", values: [0.001] }],
};

describe.each(DIALECTS)("on $dialect", ({ create }) => {
  const opened: { close(): Promise<void>; db: TestDatabase }[] = [];
  afterEach(async () => {
    for (const { close, db } of opened.splice(0)) {
      await close();
      await db.drop();
    }
  });
  async function appOn() {
    const db = await create();
    const test = await createTestApp({ DATABASE_URL: db.url });
    opened.push({ close: test.close, db });
    return test.app;
  }

  it("refuses a NUL character in names, tags, ids, query values and parameter names with 400", async () => {
    const app = await appOn();
    const requests: [string, RequestInit?][] = [
      ["/v1/runs", post({ config: { steps: 10 }, name: "a\u0000b" })],
      ["/v1/runs", post({ config: { steps: 10 }, tags: ["x\u0000"] })],
      ["/v1/runs/run%00x"],
      ["/v1/runs/run%00x/events"],
      ["/v1/runs?tag=a%00b"],
      ["/v1/runs?sweepId=%00"],
      ["/v1/sweeps/swp%00"],
      ["/v1/sweeps", post({ base: { steps: 10 }, space: SPACE, name: "s\u0000", trials: 1 })],
      [
        "/v1/sweeps",
        post({
          base: { steps: 10 },
          space: { parameters: [{ ...SPACE.parameters[0], name: "l\u0000r" }] },
          trials: 1,
        }),
      ],
    ];
    for (const [path, init] of requests) {
      const response = await app.request(path, init);
      expect(response.status, `${init?.method ?? "GET"} ${path} ${init?.body ?? ""}`).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
    // A backslash followed by "u0000" is no NUL: that name is stored as written.
    const fine = await app.request("/v1/runs", post({ config: { steps: 10 }, name: "a\\u0000" }));
    expect(fine.status).toBe(202);
    expect(((await fine.json()) as { name: string }).name).toBe("a\\u0000");
  });

  it("refuses cursors and positions beyond what the stores' columns hold with 400", async () => {
    const app = await appOn();
    const paths = [
      `/v1/runs?cursor=${cursor({ v: 1.5, id: "run_a" })}`,
      `/v1/runs?cursor=${cursor({ v: 1e30, id: "run_a" })}`,
      `/v1/runs?cursor=${cursor({ v: 2 ** 63, id: "run_a" })}`,
      `/v1/runs?cursor=${rawCursor('{"v":1e400,"id":"run_a"}')}`,
      `/v1/runs?sort=testAccuracy&cursor=${rawCursor('{"v":-1e400,"id":"run_a"}')}`,
      `/v1/runs?cursor=${cursor({ v: 5, id: "run\u0000" })}`,
      `/v1/runs?cursor=${cursor({ v: "5", id: "run_a" })}`,
      "/v1/runs/run_a/metrics?afterStep=1099511627776",
      "/v1/runs/run_a/events?after=1099511627776",
    ];
    for (const path of paths) {
      const response = await app.request(path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
    // A cursor this API wrote still pages.
    for (let i = 0; i < 3; i++) await app.request("/v1/runs", post({ config: { steps: 10 } }));
    const first = (await (await app.request("/v1/runs?limit=2")).json()) as { nextCursor: string };
    const second = await app.request(`/v1/runs?limit=2&cursor=${first.nextCursor}`);
    expect(second.status).toBe(200);
    expect(((await second.json()) as { items: unknown[] }).items).toHaveLength(1);
  });
});
