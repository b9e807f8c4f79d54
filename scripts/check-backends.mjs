#!/usr/bin/env node
// CI's backend check: prints which training backends the test suite will cover here, and fails when the native
// TensorFlow binding (which `pnpm install` builds on these machines) is missing, so its tests can never turn into
// silent skips. `SWEEPLAB_BACKEND=wasm` (an install that skipped the native build on purpose) lets it pass.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const coreRequire = createRequire(join(root, "packages/core/package.json"));

function nativeLoads(pkg) {
  try {
    const binding = join(
      dirname(coreRequire.resolve(`${pkg}/package.json`)),
      "lib",
      "napi-v8",
      "tfjs_binding.node",
    );
    if (!existsSync(binding)) return "no built binding";
    const probe = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(binding)})`], {
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2" },
      encoding: "utf8",
      timeout: 60_000,
    });
    return probe.status === 0 ? true : `binding does not load: ${probe.stderr.trim().split("\n").at(-1)}`;
  } catch {
    return "package not installed";
  }
}

const native = nativeLoads("@tensorflow/tfjs-node");
const covered = ["wasm", ...(native === true ? ["tensorflow"] : [])];
console.log(`backends the tests cover here: ${covered.join(", ")}`);
console.log(
  "not covered here: tensorflow-gpu and webgpu (no GPU on this machine; their tests skip with the reason)",
);
if (native !== true) {
  if (process.env.SWEEPLAB_BACKEND === "wasm") {
    console.log(`tensorflow: ${native} (SWEEPLAB_BACKEND=wasm: skipped on purpose)`);
  } else {
    console.error(
      `tensorflow: ${native}. The native build works on these machines: see scripts/setup-native.mjs's output above.`,
    );
    process.exit(1);
  }
}
