import { describe } from "vitest";
import { nativeBindingFile } from "../backend/select.ts";
import { describeTrainingOn } from "./train-behaviour.ts";

// The native backend exists once `pnpm install` built it; without it the suite is reported skipped (the wasm
// suite covers training), never as a passing test. Both ways of running a step there show the same behaviour.
describe.skipIf(!nativeBindingFile("@tensorflow/tfjs-node"))(
  "on TensorFlow's native binding (skipped when pnpm install did not build it)",
  () => {
    describeTrainingOn("tensorflow", "graph");
    describeTrainingOn("tensorflow", "eager");
  },
);
