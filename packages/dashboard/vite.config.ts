import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The build lands inside the server package (packages/server/dist/dashboard), which serves it at `/`.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  build: {
    outDir: fileURLToPath(new URL("../server/dist/dashboard", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
    reportCompressedSize: false,
    rollupOptions: {
      // React Query marks its modules "use client" (for server components); meaningless in a plain SPA.
      onwarn: (warning, warn) => warning.code !== "MODULE_LEVEL_DIRECTIVE" && warn(warning),
    },
  },
  server: { proxy: { "/v1": "http://127.0.0.1:8787", "/openapi.json": "http://127.0.0.1:8787" } },
});
