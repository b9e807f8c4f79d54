import { z } from "zod";
import { ActivationSchema } from "./activation-names.ts";
import { strictObject } from "./strict-object.ts";

export const MlpSpecSchema = strictObject({
  kind: z.literal("mlp"),
  /** Hidden layers, all of the same width. */
  depth: z.int().min(1).max(4).default(2),
  width: z.int().min(8).max(4096).default(512),
  activation: ActivationSchema.default("silu"),
  /** Dropout after each hidden activation; 0 turns it off. */
  dropout: z.number().min(0).max(0.9).default(0),
}).meta({ id: "MlpSpec" });

export const CnnSpecSchema = strictObject({
  kind: z.literal("cnn"),
  /** Output channels of the two 3x3 convolutions. */
  channels: z.tuple([z.int().min(1).max(256), z.int().min(1).max(256)]).default([32, 64]),
  /** Width of the hidden dense layer after pooling. */
  denseWidth: z.int().min(8).max(4096).default(128),
  activation: ActivationSchema.default("relu"),
  /** Batch normalisation after each convolution (before the activation). */
  batchNorm: z.boolean().default(false),
  /** Dropout after pooling, and after the hidden dense layer unless denseDropout is given; 0 turns it off. */
  dropout: z.number().min(0).max(0.9).default(0),
  /**
   * Dropout after the hidden dense layer when it differs from `dropout` (PyTorch's MNIST example net uses 0.25
   * after pooling and 0.5 here). Absent, `dropout` applies in both places.
   */
  denseDropout: z.number().min(0).max(0.9).optional(),
}).meta({ id: "CnnSpec" });

/** Which network to train. */
export const ModelSpecSchema = z
  .discriminatedUnion("kind", [MlpSpecSchema, CnnSpecSchema])
  .meta({ id: "ModelSpec" });
export type MlpSpec = z.infer<typeof MlpSpecSchema>;
export type CnnSpec = z.infer<typeof CnnSpecSchema>;
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
/** A model spec as callers write it, defaults not yet filled in. */
export type ModelSpecInput = z.input<typeof ModelSpecSchema>;
