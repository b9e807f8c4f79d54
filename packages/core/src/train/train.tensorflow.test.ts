import { describe } from "vitest";
import { nativeBindingFile } from "../backend/select.ts";
import { describeTrainingOn } from "./train-behaviour.ts";

// The native backend exists once `pnpm install` built it; without it the wasm suite covers training.
const missing = nativeBindingFile("@tensorflow/tfjs-node")
  ? undefined
  : "binding not built: run pnpm install";
describe.skipIf(missing)(`native training${missing ? ` (skipped: ${missing})` : ""}`, () => {
  describeTrainingOn("tensorflow", "graph");
  describeTrainingOn("tensorflow", "eager");
});
