import { describe, it } from "vitest";
import { nativeBindingFile } from "../backend/select.ts";
import { describeTrainingOn } from "./train-behaviour.ts";

// The native backend exists once `pnpm install` built it; without it the wasm suite covers training.
if (nativeBindingFile("@tensorflow/tfjs-node")) describeTrainingOn("tensorflow");
else
  describe.skip("train() on tensorflow (binding not built: run pnpm install)", () => it("skipped", () => {}));
