import { describe, expect, it } from "vitest";
import { createTestApp } from "../../test-app.ts";

describe("run event stream (through pollToSse)", () => {
  it("replays a finished run's events with their ids and ends after the terminal one; Last-Event-ID resumes", async () => {
    const { app, close } = await createTestApp();
    const created = await app.request("/v1/runs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ config: {} }),
    });
    const { id } = (await created.json()) as { id: string };
    await app.request(`/v1/runs/${id}/cancel`, { method: "POST" });
    const all = await (await app.request(`/v1/runs/${id}/events`)).text();
    expect(
      all
        .split("\n\n")
        .filter(Boolean)
        .map((block) => block.split("\n")[0]),
    ).toEqual(["event: queued", "event: canceled"]);
    expect(all).toContain("id: 2");
    const resumed = await (
      await app.request(`/v1/runs/${id}/events`, { headers: { "Last-Event-ID": "1" } })
    ).text();
    expect(resumed).toMatch(/^event: canceled\ndata: \{.*\}\nid: 2\n\n$/);
    await close();
  });
});
