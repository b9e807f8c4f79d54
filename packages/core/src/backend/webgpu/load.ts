import * as tf from "@tensorflow/tfjs-core";
import { CoreError } from "../../errors.ts";
import type { BackendInfo, WebGpuAdapter } from "../select.ts";
import { installWebGpuKernels } from "./kernels/install.ts";
import { vulkanLoaderPresent } from "./vulkan-loader.ts";

/** The part of `webgpu`'s GPU object core uses (the package's own types pull in @webgpu/types globally). */
interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfo;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}
interface WebGpuModule {
  create(options: string[]): GpuLike;
  globals: object;
}

function unavailable(message: string, cause?: unknown, details: Record<string, unknown> = {}): CoreError {
  return new CoreError("BACKEND_UNAVAILABLE", `webgpu: ${message}`, {
    cause,
    details: { backend: "webgpu", ...details },
  });
}

async function importDawn(): Promise<WebGpuModule> {
  try {
    return (await import("webgpu")) as unknown as WebGpuModule;
  } catch (cause) {
    throw unavailable(
      `the \`webgpu\` package (Dawn for Node.js) is not installed or its dawn.node failed to load (${(cause as Error).message})`,
      cause,
      { missing: "webgpu package" },
    );
  }
}

/**
 * Puts Dawn's WebGPU where tfjs-backend-webgpu looks for it. The backend registers itself only if
 * `navigator.gpu` exists at the moment it is imported, so this must run before that import.
 */
function exposeGpu(dawn: WebGpuModule): GpuLike {
  const gpu = dawn.create([]);
  Object.assign(globalThis, dawn.globals);
  const holder = globalThis as { navigator?: { gpu?: unknown } };
  if (holder.navigator) holder.navigator.gpu = gpu;
  else holder.navigator = { gpu };
  return gpu;
}

/** A software rasteriser offered as an adapter (Mesa's lavapipe/llvmpipe, SwiftShader): slower than the CPU backends. */
export function isSoftwareAdapter(info: GpuAdapterInfo | undefined): boolean {
  if (info?.isFallbackAdapter) return true;
  const text = [info?.vendor, info?.architecture, info?.device, info?.description].join(" ");
  return /llvmpipe|lavapipe|swiftshader/i.test(text);
}

/**
 * Loads TensorFlow.js's WebGPU backend on Dawn (through the `webgpu` package) and returns what a run records.
 * Fails with BACKEND_UNAVAILABLE naming what is missing: the package, the Vulkan loader, or any adapter.
 * `hardwareOnly` (the automatic choice) also refuses a software adapter.
 */
export async function loadWebGpu(
  options: { stockKernels?: boolean; hardwareOnly?: boolean } = {},
): Promise<BackendInfo> {
  const dawn = await importDawn();
  let gpu: GpuLike;
  let adapter: GpuAdapterLike | null;
  try {
    gpu = exposeGpu(dawn);
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (cause) {
    throw unavailable(`Dawn could not list adapters (${(cause as Error).message})`, cause);
  }
  if (!adapter) {
    const loader = vulkanLoaderPresent();
    throw unavailable(
      loader
        ? "no WebGPU adapter found (the Vulkan loader is present, but no Vulkan driver offered a GPU; on NVIDIA set VK_DRIVER_FILES to the driver's nvidia_icd.json and install the GL vendor libraries)"
        : "no WebGPU adapter found: the Vulkan loader (libvulkan.so.1) is missing, and Dawn reaches the GPU through it",
      undefined,
      { missing: loader ? "adapter" : "libvulkan.so.1" },
    );
  }
  if (options.hardwareOnly && isSoftwareAdapter(adapter.info)) {
    throw unavailable("the only WebGPU adapter is a software one", undefined, {
      missing: "hardware adapter",
    });
  }
  try {
    await import("@tensorflow/tfjs-backend-webgpu");
  } catch (cause) {
    throw unavailable(`@tensorflow/tfjs-backend-webgpu failed to load (${(cause as Error).message})`, cause, {
      missing: "@tensorflow/tfjs-backend-webgpu",
    });
  }
  if (!(await tf.setBackend("webgpu"))) {
    throw unavailable("the WebGPU backend failed to initialise on the adapter Dawn offered");
  }
  installWebGpuKernels({ stock: options.stockKernels });
  const info: WebGpuAdapter = {
    vendor: adapter.info?.vendor ?? "",
    architecture: adapter.info?.architecture ?? "",
    device: adapter.info?.device ?? "",
    description: adapter.info?.description ?? "",
  };
  const name = [info.vendor, info.device || info.description].filter(Boolean).join(" ") || "unknown adapter";
  return {
    name: "webgpu",
    devices: [`GPU: ${name} (WebGPU on Dawn)`],
    tfjsVersion: tf.version_core,
    threads: "GPU (WebGPU command queue)",
    adapter: info,
  };
}
