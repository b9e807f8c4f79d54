import { z } from "zod";
import { strictObject } from "./strict-object.ts";

export const AdamWSpecSchema = strictObject({
  kind: z.literal("adamw"),
  /** Peak learning rate; the schedule scales it step by step. */
  learningRate: z.number().positive().max(1000).default(9.804e-4),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  epsilon: z.number().positive().default(1e-8),
  /** Decoupled weight decay (PyTorch's AdamW): p -= lr * weightDecay * p, not added to the gradient. */
  weightDecay: z.number().min(0).max(1).default(0),
  /** Also decay biases and normalisation parameters (PyTorch decays everything in a group). */
  decayBiases: z.boolean().default(false),
}).meta({ id: "AdamWSpec" });

export const SgdSpecSchema = strictObject({
  kind: z.literal("sgd"),
  learningRate: z.number().positive().max(1000).default(0.05),
  momentum: z.number().min(0).lt(1).default(0.9),
  nesterov: z.boolean().default(false),
  /** L2 weight decay added to the gradient, as PyTorch's SGD. */
  weightDecay: z.number().min(0).max(1).default(0),
  decayBiases: z.boolean().default(false),
}).meta({ id: "SgdSpec" });

export const OptimizerSpecSchema = z
  .discriminatedUnion("kind", [AdamWSpecSchema, SgdSpecSchema])
  .meta({ id: "OptimizerSpec" });
export type AdamWSpec = z.infer<typeof AdamWSpecSchema>;
export type SgdSpec = z.infer<typeof SgdSpecSchema>;
export type OptimizerSpec = z.infer<typeof OptimizerSpecSchema>;
