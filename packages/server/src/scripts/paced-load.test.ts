import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPacedLoad } from "./paced-load.ts";

let server: Server;
let base: string;
const arrivals: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    arrivals.push(performance.now());
    // /slow answers after 30 ms; /fail with a 500.
    const answer = () => {
      res.statusCode = req.url === "/fail" ? 500 : 200;
      res.end("{}");
    };
    if (req.url === "/slow") setTimeout(answer, 30);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("paced load", () => {
  it("sends on an even schedule without waiting for slow answers, and times each one", async () => {
    arrivals.length = 0;
    const result = await runPacedLoad({ url: `${base}/slow`, ratePerSecond: 100, seconds: 0.5 });
    expect(result.sent).toBe(50);
    expect(result.latenciesMs).toHaveLength(50);
    expect(Math.min(...result.serviceLatenciesMs)).toBeGreaterThanOrEqual(29);
    // 50 requests 10 ms apart take about 490 ms to send although each answer takes 30 ms (closed loop: 1.5 s).
    expect(arrivals.at(-1)! - arrivals[0]!).toBeLessThan(1000);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(400);
  });

  it("counts every non-2xx answer and times none of the warm-up", async () => {
    const result = await runPacedLoad({
      url: `${base}/fail`,
      ratePerSecond: 100,
      seconds: 0.2,
      warmupSeconds: 0.1,
    });
    expect(result.sent).toBe(20);
    expect(result.non2xx).toBe(30);
    expect(result.latenciesMs).toHaveLength(0);
  });
});
