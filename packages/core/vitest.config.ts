import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each file runs in its own process: a process holds one TensorFlow.js backend.
    pool: "forks",
    isolate: true,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
