import { z } from "zod";

/** Backends in the order core prefers them. `tensorflow` is TensorFlow's C library on the CPU. */
export const BACKEND_NAMES = ["tensorflow-gpu", "tensorflow", "wasm"] as const;
export const BackendNameSchema = z.enum(BACKEND_NAMES).meta({ id: "BackendName" });
export type BackendName = z.infer<typeof BackendNameSchema>;

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
  })
  .meta({ id: "BackendInfo" });
export type BackendInfo = z.infer<typeof BackendInfoSchema>;
