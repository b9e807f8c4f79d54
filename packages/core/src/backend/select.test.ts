import { describe, expect, it } from "vitest";
import { nativeBindingFile, prepareBackend, probeGpuDevices } from "./select.ts";

const cpuBinding = nativeBindingFile("@tensorflow/tfjs-node");

describe("backend selection", () => {
  it("fails loudly when the GPU backend is forced on a machine without one", async () => {
    await expect(prepareBackend({ backend: "tensorflow-gpu" })).rejects.toMatchObject({
      name: "CoreError",
      code: "BACKEND_UNAVAILABLE",
      message: expect.stringMatching(/^tensorflow-gpu: /),
    });
  });

  it.runIf(cpuBinding !== undefined)("finds no GPU device through a CPU-only TensorFlow", () => {
    expect(probeGpuDevices(cpuBinding!).devices).toEqual([]);
  });

  it("then picks a working backend and reports it", async () => {
    const info = await prepareBackend();
    expect(["tensorflow", "wasm"]).toContain(info.name);
    expect(info.devices[0]).toMatch(/^CPU: /);
    // A process holds one backend: forcing another now is refused rather than ignored.
    const other = info.name === "wasm" ? "tensorflow" : "wasm";
    await expect(prepareBackend({ backend: other })).rejects.toMatchObject({ code: "BACKEND_UNAVAILABLE" });
  });
});
