// An open-loop load generator: one request every 1000 / rate ms, on schedule whatever earlier requests are doing,
// each timed from the moment it was due (not from when it was written), so a stall on either side counts in full.
// autocannon's `overallRate` is not this: each connection sends its share back to back at the top of every second
// (a burst of 200 requests, 10 in flight), and its coordinated-omission correction assumes a 1 ms interval.
import { Agent, request } from "node:http";

export interface PacedLoadResult {
  /** Requests sent after the warm-up (the ones timed). */
  sent: number;
  /** Latency of each answered request in ms, from its scheduled time to the end of its body. */
  latenciesMs: number[];
  /** The same from when the request actually left: the service's share, without this process's own lag. */
  serviceLatenciesMs: number[];
  /** Failed answers and connection errors, warm-up included: a failure counts whenever it happens. */
  non2xx: number;
  errors: number;
}

export async function runPacedLoad(options: {
  url: string;
  ratePerSecond: number;
  seconds: number;
  /** Sent first and not recorded: lets both processes warm up (JIT, connections). */
  warmupSeconds?: number;
  /** Keep-alive sockets to spread requests over (more are opened only if all are busy). */
  sockets?: number;
  headers?: Record<string, string>;
}): Promise<PacedLoadResult> {
  const agent = new Agent({ keepAlive: true, maxFreeSockets: options.sockets ?? 10 });
  const intervalMs = 1000 / options.ratePerSecond;
  const warmup = Math.round(options.ratePerSecond * (options.warmupSeconds ?? 0));
  const total = warmup + Math.round(options.ratePerSecond * options.seconds);
  const result: PacedLoadResult = {
    sent: 0,
    latenciesMs: [],
    serviceLatenciesMs: [],
    non2xx: 0,
    errors: 0,
  };
  const pending: Promise<void>[] = [];
  const start = performance.now();

  const send = (dueAt: number, sentAt: number, record: boolean) =>
    new Promise<void>((resolve) => {
      const req = request(options.url, { agent, headers: options.headers }, (res) => {
        res.resume();
        res.on("end", () => {
          const now = performance.now();
          if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) result.non2xx++;
          else if (record) {
            result.latenciesMs.push(now - dueAt);
            result.serviceLatenciesMs.push(now - sentAt);
          }
          resolve();
        });
      });
      req.on("error", () => {
        result.errors++;
        resolve();
      });
      req.end();
    });

  for (let i = 0; i < total; i++) {
    const dueAt = start + i * intervalMs;
    // Timers count from libuv's whole-millisecond clock and can fire up to 1 ms early: wait until really due.
    for (let wait = dueAt - performance.now(); wait > 0; wait = dueAt - performance.now())
      await new Promise((r) => setTimeout(r, Math.ceil(wait)));
    const sentAt = performance.now();
    const record = i >= warmup;
    if (record) result.sent++;
    pending.push(send(dueAt, sentAt, record));
  }
  await Promise.all(pending);
  agent.destroy();
  return result;
}
