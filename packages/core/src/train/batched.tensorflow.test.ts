import { describe } from "vitest";
import { nativeBindingFile } from "../backend/select.ts";
import { describeBatchedTrainingOn } from "./batched-behaviour.ts";

describe.skipIf(!nativeBindingFile("@tensorflow/tfjs-node"))(
  "on TensorFlow's native binding (skipped when pnpm install did not build it)",
  () => {
    describeBatchedTrainingOn("tensorflow", "graph");
    describeBatchedTrainingOn("tensorflow", "eager");
  },
);
