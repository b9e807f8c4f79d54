import { defineConfig } from "tsup";

// ESM for bundlers, browsers and Node; CommonJS for require(). ky is ESM-only, so the CommonJS build carries its
// own copy (about 30 KB) rather than require() an ES module; zod and the contract stay dependencies in both.
export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm"],
    platform: "neutral",
    target: "es2022",
    dts: true,
    clean: true,
    external: ["ky", "zod", "@sweeplab/contract"],
  },
  {
    entry: ["src/index.ts"],
    format: ["cjs"],
    platform: "node",
    target: "node20",
    dts: true,
    external: ["zod", "@sweeplab/contract"],
    noExternal: ["ky"],
  },
]);
