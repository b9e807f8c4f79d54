import { defineConfig } from "tsup";

// ESM for bundlers, browsers and Node; CommonJS for require(). The contract's code and the part of zod it needs are
// bundled into both (the SDK's declarations name no zod type: src/wire-types.ts), so installing the SDK does not
// install zod (6 MB: its sources, v3, mini and locales in three forms) for the few schemas the SDK checks events
// with. ky is ESM-only: the ES module imports it (a dependency), the CommonJS build carries its own copy (30 KB).
const bundled = ["@sweeplab/contract", "zod"];

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm"],
    platform: "neutral",
    target: "es2022",
    dts: { resolve: bundled },
    clean: true,
    external: ["ky"],
    noExternal: bundled,
    treeshake: true,
  },
  {
    entry: ["src/index.ts"],
    format: ["cjs"],
    platform: "node",
    target: "node20",
    dts: { resolve: bundled },
    noExternal: [...bundled, "ky"],
    treeshake: true,
  },
]);
