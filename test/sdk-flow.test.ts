import { createClient, type SequencedRunEvent } from "@sweeplab/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHORT_MLP, startTestServer } from "./support/server.ts";

describe("the SDK under a burst of submissions", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("takes 200 concurrent submissions with distinct idempotency keys as exactly 200 runs", async () => {
    const client = createClient({ baseUrl: server.url });
    const submit = (i: number) =>
      client.runs.create({ config: { steps: 5 }, tags: ["burst"] }, { idempotencyKey: `burst-${i}` });
    const runs = await Promise.all(Array.from({ length: 200 }, (_, i) => submit(i)));
    expect(new Set(runs.map((r) => r.id)).size).toBe(200);
    const again = await Promise.all([0, 57, 199].map(submit));
    expect(again.map((r) => r.id)).toEqual([runs[0]!.id, runs[57]!.id, runs[199]!.id]);
    let count = 0;
    for await (const run of client.runs.listAll({ tag: "burst", limit: 200 }))
      count += run.tags.includes("burst") ? 1 : 0;
    expect(count).toBe(200);
  });
});

describe("the SDK's event stream", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("reconnects a broken event stream with Last-Event-ID, losing and repeating nothing", async () => {
    let streams = 0;
    const lastEventIds: string[] = [];
    // The first event stream is cut after three events, as a dropped connection would be.
    const flakyFetch: typeof fetch = async (input, init) => {
      const request = new Request(input as Request | string | URL, init);
      const response = await fetch(request);
      if (!request.url.endsWith("/events") || !response.body) return response;
      lastEventIds.push(request.headers.get("last-event-id") ?? "");
      if (++streams > 1) return response;
      const reader = response.body.getReader();
      let seen = 0;
      const cut = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value, done } = await reader.read();
          if (done) return controller.close();
          controller.enqueue(value);
          seen +=
            (new TextDecoder().decode(value).match(/\nid: /g) ?? []).length +
            (new TextDecoder().decode(value).startsWith("id: ") ? 1 : 0);
          if (seen >= 3) {
            await reader.cancel();
            controller.error(new TypeError("connection reset"));
          }
        },
      });
      return new Response(cut, { status: response.status, headers: response.headers });
    };
    const client = createClient({ baseUrl: server.url, fetch: flakyFetch });
    const run = await client.runs.create({ config: SHORT_MLP });
    const events: SequencedRunEvent[] = [];
    for await (const event of client.runs.events(run.id)) events.push(event);
    expect(streams).toBeGreaterThanOrEqual(2);
    expect(Number(lastEventIds[1])).toBeGreaterThan(0);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)!.type).toBe("finished");
    const finished = await client.runs.wait(run.id);
    expect(finished.status).toBe("succeeded");
  });
});
