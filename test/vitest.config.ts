import { defineConfig } from "vitest/config";

// Flows start real servers and train real models: one file at a time, so they do not fight over two cores (beside
// them, scripts/run-flows.mjs runs the image and package builds, which mostly wait, in a second vitest process). The
// services and CLIs they start train on one worker unless a test asks for more (WORKERS=auto would start one per
// core: config.test.ts covers that default).
export default defineConfig({
  test: {
    pool: "forks",
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    env: { WORKERS: "1" },
  },
});
