import { defineConfig } from "vitest/config";

// Unit tests of the pure parts (schema reading, image downscaling, formats); the pages are tested in a real
// browser by test/dashboard.test.ts. A config of its own keeps vite.config.ts's build settings out.
export default defineConfig({ test: { include: ["src/**/*.test.ts"] } });
