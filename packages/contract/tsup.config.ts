import { defineConfig } from "tsup";

// ESM and CommonJS, each with its declarations; zod stays a dependency.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  platform: "neutral",
  target: "es2022",
  dts: true,
  clean: true,
  external: ["zod"],
});
