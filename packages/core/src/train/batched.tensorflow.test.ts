import { describe, it } from "vitest";
import { nativeBindingFile } from "../backend/select.ts";
import { describeBatchedTrainingOn } from "./batched-behaviour.ts";

if (nativeBindingFile("@tensorflow/tfjs-node")) describeBatchedTrainingOn("tensorflow");
else
  describe.skip("trainBatched() on tensorflow (binding not built: run pnpm install)", () =>
    it("skipped", () => {}));
