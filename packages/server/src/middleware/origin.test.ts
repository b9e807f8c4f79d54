import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { startService } from "../service.ts";
import { createTestApp } from "../test-app.ts";

/** A raw HTTP request, so Host and Origin are exactly what a browser (or a rebinding page) would send. */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => {
        text += d.toString();
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"] ?? "", body: text }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

const json = { "Content-Type": "application/json" };

describe("origin and host checks on a real loopback listener", () => {
  it("refuses cross-origin writes and rebinding hosts, and keeps same-origin, allowed and non-browser clients", async () => {
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-origin-")),
      SWEEPLAB_ALLOWED_ORIGINS: "https://dash.example.com",
    });
    const service = await startService(config);
    try {
      const runs = `${service.url}/v1/runs`;
      const own = service.url;
      const port = new URL(own).port;
      const cases: [string, Record<string, string>, number, string?][] = [
        ["evil page, JSON", { ...json, Origin: "https://evil.example" }, 403, "ORIGIN_NOT_ALLOWED"],
        ["opaque origin", { ...json, Origin: "null" }, 403, "ORIGIN_NOT_ALLOWED"],
        ["other port on localhost", { ...json, Origin: "http://127.0.0.1:1" }, 403, "ORIGIN_NOT_ALLOWED"],
        ["rebinding host", { ...json, Host: `evil.example:${port}` }, 403, "HOST_NOT_ALLOWED"],
        [
          "rebinding host, same origin",
          { ...json, Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` },
          403,
          "HOST_NOT_ALLOWED",
        ],
        ["no Origin (CLI, SDK)", json, 202],
        ["own origin (a served dashboard)", { ...json, Origin: own }, 202],
        ["localhost name", { ...json, Host: `localhost:${port}`, Origin: `http://localhost:${port}` }, 202],
        ["allowed origin", { ...json, Origin: "https://dash.example.com" }, 202],
      ];
      for (const [name, headers, status, code] of cases) {
        const answer = await raw(runs, "POST", headers, JSON.stringify({ config: { steps: 1 } }));
        expect([name, answer.status], answer.body).toEqual([name, status]);
        if (code) {
          expect(answer.type).toBe("application/problem+json");
          expect(JSON.parse(answer.body)).toMatchObject({ code });
        }
      }
      // Reads from another origin stay possible (no CORS headers: a browser hides the answer from the page) ...
      expect((await raw(runs, "GET", { Origin: "https://evil.example" })).status).toBe(200);
      // ... but not through a rebinding host name.
      expect((await raw(runs, "GET", { Host: `rebind.example:${port}` })).status).toBe(403);
    } finally {
      await service.close();
    }
  });

  it("lets the host check be turned off, and skips it off loopback", async () => {
    const request = async (env: Record<string, string>) =>
      (await createTestApp(env)).app.fetch(
        new Request("http://192.168.1.5:8787/v1/runs", { headers: { Host: "192.168.1.5:8787" } }),
      );
    expect((await request({})).status).toBe(403);
    expect((await request({ SWEEPLAB_CHECK_HOST: "0" })).status).toBe(200);
    expect((await request({ HOST: "0.0.0.0", SWEEPLAB_TOKEN: "t".repeat(16) })).status).toBe(401);
  });
});
