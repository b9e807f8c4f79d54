import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateContractTypes } from "../scripts/contract-types.ts";
import { generateFromServer } from "../scripts/spec.ts";

const root = join(import.meta.dirname, "..");

describe("generated types", () => {
  it("match the server's OpenAPI document (run `pnpm --filter @sweeplab/sdk generate` after changing routes)", async () => {
    const { spec, types } = await generateFromServer();
    expect(readFileSync(join(root, "openapi.json"), "utf8")).toBe(spec);
    expect(readFileSync(join(root, "src/generated/schema.ts"), "utf8")).toBe(types);
  });

  it("match the contract's types (run `pnpm --filter @sweeplab/sdk generate` after changing the contract)", () => {
    expect(readFileSync(join(root, "src/generated/contract-types.ts"), "utf8")).toBe(generateContractTypes());
  });
});
