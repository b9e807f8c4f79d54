import { describe, expect, it, vi } from "vitest";
import { DIALECTS } from "../../test-support/databases.ts";
import { useDialectApps } from "../../test-support/dialect-apps.ts";
import { testSweepSpec } from "../../test-support/sweep-spec.ts";

const spec = testSweepSpec({ trials: 3, parallelism: 3 });

interface Sse {
  event: string;
  data: { runId?: string; status?: string; id?: string };
}

/** An open event stream read message by message. */
function reader(response: Response) {
  const body = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<Sse> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(":")) continue;
          const field = (name: string) =>
            block
              .split("\n")
              .find((l) => l.startsWith(`${name}: `))
              ?.slice(name.length + 2);
          return { event: field("event") ?? "", data: JSON.parse(field("data") ?? "null") };
        }
        const { value, done } = await body.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
    },
    async ended(): Promise<boolean> {
      const { done } = await body.read();
      return done;
    },
    close: () => body.cancel(),
  };
}

/** The stream's events up to and including its `sweep` event. */
async function untilSweep(stream: ReturnType<typeof reader>): Promise<Sse[]> {
  const events: Sse[] = [];
  for (let e = await stream.next(); ; e = await stream.next()) {
    events.push(e);
    if (e.event === "sweep") return events;
  }
}

describe.each(DIALECTS)("sweep event streams on $dialect", ({ create }) => {
  const openApp = useDialectApps(create);
  async function open(env: Record<string, string> = {}) {
    const test = await openApp(env);
    return { app: test.app, deps: test.deps };
  }

  async function sweepWithTrials(deps: Awaited<ReturnType<typeof open>>["deps"], id: string) {
    await deps.store.createSweep({ id, name: null, spec });
    await deps.sweeps.tick();
    return deps.store.sweepRuns(id);
  }

  it("sends the snapshot, then only what changed, then the summary, and ends", async () => {
    const { app, deps } = await open();
    const runs = await sweepWithTrials(deps, "swp_s");
    const stream = reader(await app.request("/v1/sweeps/swp_s/events"));
    const snapshot = [await stream.next(), await stream.next(), await stream.next()];
    expect(snapshot.map((e) => [e.event, e.data.runId])).toEqual(runs.map((r) => ["trial", r.id]));
    await deps.store.requestCancel(runs[1]!.id, "test");
    expect(await stream.next()).toMatchObject({
      event: "trial",
      data: { runId: runs[1]!.id, status: "canceled" },
    });
    await app.request("/v1/sweeps/swp_s/cancel", { method: "POST" });
    const rest = await untilSweep(stream);
    // The two other runs, canceled with the sweep, once each; run 1 is not sent again.
    expect(rest.map((e) => e.data.runId ?? e.data.id).sort()).toEqual(
      [runs[0]!.id, runs[2]!.id, "swp_s"].sort(),
    );
    expect(await stream.ended()).toBe(true);
  });

  it("with snapshot=false sends only what changes after it opens, then the summary; refuses another value", async () => {
    const { app, deps } = await open();
    const runs = await sweepWithTrials(deps, "swp_changes");
    const stream = reader(await app.request("/v1/sweeps/swp_changes/events?snapshot=false"));
    await deps.store.requestCancel(runs[2]!.id, "test");
    // The first event is the change: no trial run was sent before it.
    expect(await stream.next()).toMatchObject({
      event: "trial",
      data: { runId: runs[2]!.id, status: "canceled" },
    });
    await app.request("/v1/sweeps/swp_changes/cancel", { method: "POST" });
    const rest = await untilSweep(stream);
    expect(rest.map((e) => e.data.runId ?? e.data.id).sort()).toEqual(
      [runs[0]!.id, runs[1]!.id, "swp_changes"].sort(),
    );
    expect(await stream.ended()).toBe(true);
    const bad = await app.request("/v1/sweeps/swp_changes/events?snapshot=no");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });

  it("reads the store once per sweep however many streams follow it", async () => {
    const { app, deps } = await open();
    await sweepWithTrials(deps, "swp_many");
    // Every read of a sweep's runs starts with its fingerprint (sweeps/sweep-state.ts).
    const fingerprints = vi.spyOn(deps.store, "sweepRunsFingerprint");
    const streams = [];
    for (let i = 0; i < 20; i++) {
      const stream = reader(await app.request("/v1/sweeps/swp_many/events"));
      for (let k = 0; k < 3; k++) expect((await stream.next()).event).toBe("trial");
      streams.push(stream);
    }
    // One initial read, plus one per refresh while the 20 opened (each stream once read the whole report before).
    expect(fingerprints.mock.calls.length).toBeGreaterThan(0);
    expect(fingerprints.mock.calls.length).toBeLessThan(8);
    for (const s of streams) await s.close();
  });

  it("caps streams per sweep (429) and in total (503), with Retry-After, and frees a closed stream's place", async () => {
    const { app, deps } = await open({
      SWEEPLAB_MAX_STREAMS_PER_SWEEP: "2",
      SWEEPLAB_MAX_SWEEP_STREAMS: "3",
    });
    for (const id of ["swp_a", "swp_b", "swp_c"]) await sweepWithTrials(deps, id);
    const a1 = reader(await app.request("/v1/sweeps/swp_a/events"));
    const a2 = reader(await app.request("/v1/sweeps/swp_a/events"));
    const a3 = await app.request("/v1/sweeps/swp_a/events");
    expect(a3.status).toBe(429);
    expect(a3.headers.get("retry-after")).toBe("10");
    expect(await a3.json()).toMatchObject({ code: "TOO_MANY_STREAMS" });
    const b1 = await app.request("/v1/sweeps/swp_b/events");
    expect(b1.status).toBe(200);
    const c1 = await app.request("/v1/sweeps/swp_c/events");
    expect(c1.status).toBe(503);
    expect(await c1.json()).toMatchObject({ code: "STREAMS_EXHAUSTED" });
    await a1.next();
    await a1.close();
    // The stream's end is seen by the server on its next write or wait: the place comes back then.
    let again = await app.request("/v1/sweeps/swp_c/events");
    for (let i = 0; i < 50 && again.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      again = await app.request("/v1/sweeps/swp_c/events");
    }
    expect(again.status).toBe(200);
    await a2.close();
    await reader(b1).close();
    await reader(again).close();
  });
});
