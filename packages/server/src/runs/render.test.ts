import { readdirSync, readFileSync } from "node:fs";
import type { TopLevelSpec } from "vega-lite";
import { afterAll, describe, expect, it } from "vitest";
import { RenderThread } from "./render.ts";

/** A scatter of `n` points: at 20,000 vega takes a good part of a second to draw it. */
function scatter(n: number): TopLevelSpec {
  return {
    data: { values: Array.from({ length: n }, (_, i) => ({ x: i, y: Math.sin(i) })) },
    mark: "point",
    encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
  };
}

describe("the plot renderer's thread", () => {
  const thread = new RenderThread();
  afterAll(() => thread.close());

  it("draws SVG and PNG while this thread's timers keep running", async () => {
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const svg = await thread.svg(scatter(20_000));
    const drawing = performance.now() - started;
    clearInterval(ticker);
    expect(svg.match(/<path/g)?.length).toBeGreaterThan(20_000);
    // Drawn here, the whole drawing would be one gap; drawn on the thread, ticks keep coming.
    expect(longestGap).toBeLessThan(drawing / 2);
    const png = await thread.png(svg);
    expect([...png.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });

  it.runIf(process.platform === "linux")(
    "draws at a lower priority than the process's own threads",
    async () => {
      /** Nice value of each of this process's threads (field 19 of /proc/self/task/<tid>/stat). */
      const nice = () =>
        new Map(
          readdirSync("/proc/self/task").map((tid) => {
            const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
            return [Number(tid), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16])] as const;
          }),
        );
      // A thread of its own: the shared one may have started before `before` was read.
      const fresh = new RenderThread();
      const before = nice();
      let after: typeof before;
      try {
        await fresh.svg(scatter(3));
        after = nice();
      } finally {
        await fresh.close();
      }
      const main = after.get(process.pid)!;
      expect(main).toBe(before.get(process.pid));
      // One new thread, niced to at least 10 (the render thread); the main thread's priority untouched.
      expect([...after].filter(([tid, n]) => !before.has(tid) && n >= Math.max(main, 10))).not.toHaveLength(
        0,
      );
    },
  );

  it("fails a drawing with the spec's error, and draws the next", async () => {
    const error = await thread.svg({ mark: "nonsense" } as unknown as TopLevelSpec).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toMatch(/thread/);
    expect(await thread.svg(scatter(3))).toContain("<svg");
  });

  it("fails the drawings in progress when the thread goes, and starts a new one for the next", async () => {
    const drawing = thread.svg(scatter(20_000));
    await thread.close();
    await expect(drawing).rejects.toThrow(/thread exited/);
    expect(await thread.svg(scatter(3))).toContain("<svg");
  });

  it("keeps a drawing that exhausts the thread's memory limit from the process: it fails alone", async () => {
    const small = new RenderThread({ maxHeapMb: 64 });
    try {
      await expect(small.svg(scatter(400_000))).rejects.toThrow(/thread/);
      expect(await small.svg(scatter(3))).toContain("<svg");
    } finally {
      await small.close();
    }
  });
});
