import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "./register-gradients.ts";
import { CoreError } from "../errors.ts";
import {
  BACKEND_NAMES,
  type BackendInfo,
  BackendInfoSchema,
  type BackendName,
  BackendNameSchema,
  type WebGpuAdapter,
  WebGpuAdapterSchema,
} from "./info.ts";
import { installWasmKernels } from "./wasm-kernels.ts";

export {
  BACKEND_NAMES,
  type BackendInfo,
  BackendInfoSchema,
  type BackendName,
  BackendNameSchema,
  type WebGpuAdapter,
  WebGpuAdapterSchema,
};

export interface PrepareBackendOptions {
  /** Force one backend; a forced backend that is absent is an error, never a fallback. Default: the best present. */
  backend?: BackendName | "auto";
  /** webgpu only: keep tfjs-backend-webgpu's stock kernels instead of core's WGSL ones (to compare them). */
  webgpuStockKernels?: boolean;
}

const require = createRequire(import.meta.url);
const NATIVE_PACKAGES = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
} as const;

let prepared: BackendInfo | undefined;

function cpuDevice(): string {
  const list = cpus();
  return `CPU: ${list[0]?.model.trim() ?? "unknown"} (${list.length} cores)`;
}

/** The built N-API binding of a native package (`@tensorflow/tfjs-node` or `-gpu`), if it was built. */
export function nativeBindingFile(pkg: string): string | undefined {
  try {
    const file = join(dirname(require.resolve(`${pkg}/package.json`)), "lib", "napi-v8", "tfjs_binding.node");
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Asks TensorFlow, in a child process, which GPU devices it creates; returns them and its complaints. */
export function probeGpuDevices(bindingFile: string): { devices: string[]; complaints: string[] } {
  const script = `const b = require(${JSON.stringify(bindingFile)}); console.log("TF", b.TF_Version);`;
  const r = spawnSync(process.execPath, ["-e", script], {
    encoding: "utf8",
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "0", TF_CPP_MIN_VLOG_LEVEL: "0" },
    timeout: 120_000,
  });
  const lines = `${r.stdout}\n${r.stderr}`.split("\n");
  const devices = lines.filter((l) => /device:GPU:\d/.test(l) || /Created device .*GPU/.test(l));
  const complaints = lines.filter((l) => /Cannot dlopen|CUDA|cuda|GPU/.test(l) && !devices.includes(l));
  return { devices, complaints };
}

async function loadNative(name: "tensorflow-gpu" | "tensorflow"): Promise<BackendInfo> {
  const pkg = NATIVE_PACKAGES[name];
  const binding = nativeBindingFile(pkg);
  if (!binding) {
    const fix = name === "tensorflow-gpu" ? "SWEEPLAB_GPU=1 pnpm install" : "pnpm install";
    throw new CoreError("BACKEND_UNAVAILABLE", `${name}: ${pkg} has no built binding (run \`${fix}\`)`, {
      details: { backend: name, package: pkg },
    });
  }
  let gpuDevices: string[] = [];
  if (name === "tensorflow-gpu") {
    const probe = probeGpuDevices(binding);
    if (probe.devices.length === 0) {
      const why = probe.complaints[0]?.trim() ?? "no CUDA device or CUDA libraries found";
      throw new CoreError("BACKEND_UNAVAILABLE", `tensorflow-gpu: TensorFlow lists no GPU device (${why})`, {
        details: { backend: name, complaints: probe.complaints.slice(0, 5) },
      });
    }
    gpuDevices = probe.devices.map((d) => d.replace(/^.*Created device /, "").trim());
  }
  process.env.TF_CPP_MIN_LOG_LEVEL ??= "1";
  // Lets a graph session ask for XLA on the CPU (train/graph-engine.ts); TensorFlow reads it once, at start-up, and
  // it changes nothing for sessions that do not ask (nor for tfjs's eager ops).
  const xlaFlags = process.env.TF_XLA_FLAGS ?? "";
  if (!xlaFlags.includes("--tf_xla_cpu_global_jit")) {
    process.env.TF_XLA_FLAGS = `${xlaFlags} --tf_xla_cpu_global_jit`.trim();
  }
  let module: { version: Record<string, string> };
  try {
    module = await import(pkg);
  } catch (cause) {
    throw new CoreError(
      "BACKEND_UNAVAILABLE",
      `${name}: ${pkg} failed to load (${(cause as Error).message})`,
      {
        cause,
        details: { backend: name },
      },
    );
  }
  await tf.setBackend("tensorflow");
  const nativeBackend = tf.backend() as unknown as { binding?: { TF_Version?: string } };
  return {
    name,
    devices: name === "tensorflow-gpu" ? gpuDevices : [cpuDevice()],
    tfjsVersion: tf.version_core,
    tensorflowVersion: nativeBackend.binding?.TF_Version ?? module.version["tfjs-node"],
    threads: nativeThreads(),
  };
}

/** The intra-op threads TensorFlow's native library runs with: TF_NUM_INTRAOP_THREADS, else one per core. */
export function nativeIntraOpThreads(): number {
  const set = Number(process.env.TF_NUM_INTRAOP_THREADS);
  return Number.isInteger(set) && set > 0 ? set : cpus().length;
}

/**
 * The native library's thread pools as it sizes them: TensorFlow itself reads TF_NUM_INTRAOP_THREADS and
 * TF_NUM_INTEROP_THREADS when it starts (a worker sharing the cores with others sets them), else one per core.
 */
function nativeThreads(): string {
  const intra = process.env.TF_NUM_INTRAOP_THREADS;
  const inter = process.env.TF_NUM_INTEROP_THREADS;
  if (!intra && !inter) return `TensorFlow default (inter/intra-op = ${cpus().length} cores)`;
  return `intra-op ${intra || `${cpus().length} (default)`}, inter-op ${inter || `${cpus().length} (default)`} (TF_NUM_*_THREADS)`;
}

async function loadWasm(): Promise<BackendInfo> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const dist = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
  wasm.setWasmPaths(`${dist}/`);
  if (!(await tf.setBackend("wasm"))) {
    throw new CoreError("BACKEND_UNAVAILABLE", "wasm: the WebAssembly backend failed to initialise");
  }
  installWasmKernels();
  return {
    name: "wasm",
    devices: [cpuDevice()],
    tfjsVersion: tf.version_core,
    threads: "1 (single-threaded WebAssembly)",
  };
}

async function load(
  name: BackendName,
  options: PrepareBackendOptions,
  automatic = false,
): Promise<BackendInfo> {
  if (name === "wasm") return loadWasm();
  if (name === "webgpu") {
    // Loaded on demand: the module sets browser globals (navigator.gpu) that no other backend should see.
    const { loadWebGpu } = await import("./webgpu/load.ts");
    return loadWebGpu({ stockKernels: options.webgpuStockKernels, hardwareOnly: automatic });
  }
  return loadNative(name);
}

/** Whether the automatic choice should try webgpu: only where Dawn can reach a GPU at all (cheap, prints nothing). */
async function webGpuWorthTrying(): Promise<boolean> {
  if (process.env.SWEEPLAB_WEBGPU_AUTO === "0") return false;
  const { vulkanLoaderPresent } = await import("./webgpu/vulkan-loader.ts");
  return vulkanLoaderPresent();
}

/**
 * Chooses and initialises the TensorFlow.js backend once per process: the forced one, or else the best present
 * among TensorFlow GPU (only when its binding is built), webgpu on a hardware adapter (only where the Vulkan
 * loader is installed; SWEEPLAB_WEBGPU_AUTO=0 skips it), TensorFlow CPU, wasm. Why webgpu comes before the CPU
 * backends: on an H200 it trains the reference MLP at 7.5 ms a step and the CNN at 7.9 (BENCHMARKS.md), where
 * TensorFlow on two cores takes 15 and about 180.
 */
export async function prepareBackend(options: PrepareBackendOptions = {}): Promise<BackendInfo> {
  const wanted = options.backend ?? "auto";
  if (prepared) {
    if (wanted !== "auto" && wanted !== prepared.name) {
      throw new CoreError(
        "BACKEND_UNAVAILABLE",
        `${wanted}: this process already trains on ${prepared.name}; a process holds one backend`,
        { details: { backend: wanted, active: prepared.name } },
      );
    }
    return prepared;
  }
  if (wanted !== "auto") {
    prepared = await load(wanted, options);
    return prepared;
  }
  const candidates: BackendName[] = [];
  if (nativeBindingFile(NATIVE_PACKAGES["tensorflow-gpu"])) candidates.push("tensorflow-gpu");
  if (await webGpuWorthTrying()) candidates.push("webgpu");
  if (nativeBindingFile(NATIVE_PACKAGES.tensorflow)) candidates.push("tensorflow");
  candidates.push("wasm");
  let lastError: unknown;
  for (const name of candidates) {
    try {
      prepared = await load(name, options, true);
      return prepared;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
