import { describe, it } from "vitest";
import { nativeBindingFile } from "../backend/select.ts";
import { describeBatchNormOn } from "./batch-norm-behaviour.ts";

// TensorFlow's fused kernels exist once `pnpm install` built the binding.
if (nativeBindingFile("@tensorflow/tfjs-node")) describeBatchNormOn("tensorflow");
else
  describe.skip("batch norm on tensorflow (binding not built: run pnpm install)", () =>
    it("skipped", () => {}));
