import { describe } from "vitest";
import { nativeBindingFile } from "../backend/select.ts";
import { describeBatchNormOn } from "./batch-norm-behaviour.ts";

// TensorFlow's fused kernels exist once `pnpm install` built the binding; without it the suite is reported
// skipped, never as a passing test.
describe.skipIf(!nativeBindingFile("@tensorflow/tfjs-node"))(
  "on TensorFlow's native binding (skipped when pnpm install did not build it)",
  () => describeBatchNormOn("tensorflow"),
);
