import { describe, expect, it } from "vitest";
import { prepareBackend } from "../../select.ts";
import { checkWebGpuKernels } from "./check.ts";

// Runs wherever a WebGPU adapter exists; elsewhere (CI, machines without a GPU) it is skipped with the reason.
const unavailable = await prepareBackend({ backend: "webgpu" }).then(
  () => undefined,
  (error: Error) => error.message,
);
if (unavailable) console.log(`webgpu kernel checks skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)(
  `core's webgpu kernels${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    it("match TensorFlow.js's reference CPU backend to 1e-5 relative", async () => {
      const checks = await checkWebGpuKernels();
      for (const check of checks) {
        expect(check.custom, check.name).toBe(true);
        expect(check.relativeError, check.name).toBeLessThan(1e-5);
      }
    });
  },
);
