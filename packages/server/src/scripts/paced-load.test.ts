import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPacedLoad } from "./paced-load.ts";

let server: Server;
let base: string;
/** What the server saw, in order: each request's arrival and each answer. */
const log: ("arrived" | "answered")[] = [];
const HELD = 50;

beforeAll(async () => {
  const held: (() => void)[] = [];
  server = createServer((req, res) => {
    log.push("arrived");
    const answer = () => {
      log.push("answered");
      res.statusCode = req.url === "/fail" ? 500 : 200;
      res.end("{}");
    };
    // /held answers nothing until all HELD requests have arrived: a sender that waited for answers would stall.
    if (req.url !== "/held") return answer();
    held.push(answer);
    if (held.length === HELD) for (const release of held.splice(0)) release();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
});

describe("paced load", () => {
  it("sends on schedule without waiting for earlier answers, and times each one", async () => {
    log.length = 0;
    const result = await runPacedLoad({ url: `${base}/held`, ratePerSecond: 100, seconds: 0.5 });
    expect(result).toMatchObject({ sent: HELD, non2xx: 0, errors: 0 });
    // Every request left before any was answered (an open loop), then every one was answered.
    expect(log).toEqual([...Array(HELD).fill("arrived"), ...Array(HELD).fill("answered")]);
    expect(result.latenciesMs).toHaveLength(HELD);
    // Timed from when each was due, which is never after it left.
    for (const [i, latency] of result.latenciesMs.entries())
      expect(latency).toBeGreaterThanOrEqual(result.serviceLatenciesMs[i]!);
    // A closed loop never sends the request that releases the held ones: it fails here, not after a minute.
  }, 20_000);

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
