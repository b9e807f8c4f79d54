import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("openapi.json", () => {
  it("passes redocly lint with the recommended rules, without a warning", () => {
    const root = join(import.meta.dirname, "..");
    let output: string;
    try {
      output = execFileSync(
        join(root, "node_modules/.bin/redocly"),
        ["lint", "openapi.json", "--format=json"],
        {
          cwd: root,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        },
      );
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    const report = JSON.parse(output.slice(output.indexOf("{"))) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string }[];
    };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);
});
