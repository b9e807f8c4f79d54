import { z } from "zod";

/**
 * Backends core knows: `tensorflow-gpu` and `tensorflow` (TensorFlow's C library on a GPU or the CPU), `webgpu`
 * (TensorFlow.js's WebGPU backend on Dawn) and `wasm`. The automatic choice and its order are prepareBackend's
 * (select.ts): webgpu is tried there too, on a hardware adapter.
 */
export const BACKEND_NAMES = ["tensorflow-gpu", "tensorflow", "wasm", "webgpu"] as const;
export const BackendNameSchema = z.enum(BACKEND_NAMES).meta({ id: "BackendName" });
export type BackendName = z.infer<typeof BackendNameSchema>;

/** The GPU a WebGPU backend runs on, as the adapter describes itself (fields may be empty strings). */
export const WebGpuAdapterSchema = z
  .object({
    vendor: z.string(),
    architecture: z.string(),
    device: z.string(),
    /** Dawn puts the driver here, e.g. "NVIDIA: 580.159". */
    description: z.string(),
  })
  .meta({ id: "WebGpuAdapter" });
export type WebGpuAdapter = z.infer<typeof WebGpuAdapterSchema>;

/** What a run records about where it trained. */
export const BackendInfoSchema = z
  .object({
    name: BackendNameSchema,
    /** e.g. "CPU: AMD EPYC 7B13 (2 cores)" or the GPU names TensorFlow listed. */
    devices: z.array(z.string()),
    tfjsVersion: z.string(),
    /** The TensorFlow C library's version, for the native backends. */
    tensorflowVersion: z.string().optional(),
    /** Thread settings as the backend runs them. */
    threads: z.string(),
    /** How the run's steps executed: one TensorFlow graph per step, or op by op (set by train()). */
    execution: z.enum(["graph", "eager"]).optional(),
    /** The WebGPU adapter, for the `webgpu` backend only. */
    adapter: WebGpuAdapterSchema.optional(),
  })
  .meta({ id: "BackendInfo" });
export type BackendInfo = z.infer<typeof BackendInfoSchema>;
