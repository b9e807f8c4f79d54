import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareBackend } from "../select.ts";
import { isSoftwareAdapter } from "./load.ts";
import { vulkanLoaderPresent } from "./vulkan-loader.ts";

// On a machine with a WebGPU adapter, forcing webgpu succeeds; the kernel tests (kernels/*.webgpu.test.ts) cover
// that case. Here, and in CI, there is none.
const adapterExpected = process.env.SWEEPLAB_EXPECT_WEBGPU === "1";

describe("the webgpu backend", () => {
  it.skipIf(adapterExpected)("fails loudly when forced on a machine without a WebGPU adapter", async () => {
    const error = await prepareBackend({ backend: "webgpu" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "CoreError", code: "BACKEND_UNAVAILABLE" });
    const message = (error as Error).message;
    expect(message).toMatch(/^webgpu: /);
    // It names what is missing: here the Vulkan loader, or (with one installed) any adapter at all.
    expect(message).toMatch(vulkanLoaderPresent() ? /no WebGPU adapter found/ : /libvulkan\.so\.1/);
  });

  it.runIf(adapterExpected)("records the adapter it trains on", async () => {
    const info = await prepareBackend({ backend: "webgpu" });
    expect(info.name).toBe("webgpu");
    expect(info.adapter?.vendor).not.toBe("");
    expect(info.devices[0]).toMatch(/^GPU: /);
  });
});

describe("core's training script with SWEEPLAB_BACKEND=webgpu", () => {
  it.skipIf(adapterExpected)("prints one BACKEND_UNAVAILABLE line and exits 1", () => {
    const script = join(import.meta.dirname, "../../scripts/train.ts");
    const r = spawnSync(process.execPath, ["--import", "tsx", script, "--steps", "1"], {
      encoding: "utf8",
      env: { ...process.env, SWEEPLAB_BACKEND: "webgpu" },
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^BACKEND_UNAVAILABLE: webgpu: .+$/m);
  });
});

describe("the automatic choice", () => {
  it("never takes a software adapter for a GPU", () => {
    expect(isSoftwareAdapter({ vendor: "mesa", device: "llvmpipe (LLVM 15.0.6, 256 bits)" })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "google", description: "SwiftShader Device (Subzero)" })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "nvidia", isFallbackAdapter: true })).toBe(true);
    // What Dawn reported on the H200 this was measured on.
    expect(
      isSoftwareAdapter({ vendor: "nvidia", device: "nvidia-h200", description: "NVIDIA: 580.159.04" }),
    ).toBe(false);
  });
});
