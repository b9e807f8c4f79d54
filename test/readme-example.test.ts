import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./support/server.ts";

/** The README's SDK example, run as written against a real service. */
function readmeExample(): string {
  const readme = readFileSync(join(process.cwd(), "../README.md"), "utf8");
  const match = /<!-- sdk-example -->\n```ts\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README has no sdk-example block");
  return match[1]!;
}

describe("the README's SDK example", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ SWEEPLAB_TOKEN: "readme" });
  });
  afterAll(() => server.close());

  it("runs as written and prints the validation accuracy, the result and a typed error", async () => {
    const dir = mkdtempSync(join(process.cwd(), "node_modules", ".readme-"));
    const file = join(dir, "example.mts");
    writeFileSync(file, readmeExample());
    const child = spawn(process.execPath, ["--import", "tsx", file], {
      env: { ...process.env, SWEEPLAB_URL: server.url, SWEEPLAB_TOKEN: "readme" },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code, out).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines.filter((l) => /^step (100|200): validation accuracy 0\.\d+/.test(l))).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/^succeeded 0\.\d+$/));
    expect(lines.at(-1)).toMatch(/^VALIDATION_FAILED: .*config\.steps/);
  });
});
