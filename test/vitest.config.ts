import { defineConfig } from "vitest/config";

// Flows start real servers and train real models: one file at a time, so they do not fight over two cores.
export default defineConfig({
  test: { pool: "forks", fileParallelism: false, testTimeout: 300_000, hookTimeout: 120_000 },
});
