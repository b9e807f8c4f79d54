import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, it } from "vitest";
import { describeTrainingOn } from "./train-behaviour.ts";

const require = createRequire(import.meta.url);
const binding = join(
  dirname(require.resolve("@tensorflow/tfjs-node/package.json")),
  "lib/napi-v8/tfjs_binding.node",
);

// The native backend exists once `pnpm install` built it; without it the wasm suite covers training.
if (existsSync(binding)) describeTrainingOn("tensorflow");
else
  describe.skip("train() on tensorflow (binding not built: run pnpm install)", () => it("skipped", () => {}));
