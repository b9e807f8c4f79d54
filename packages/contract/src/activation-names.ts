import { z } from "zod";

export const ACTIVATIONS = ["relu", "silu", "gelu", "tanh", "sigmoid"] as const;
export const ActivationSchema = z.enum(ACTIVATIONS).meta({ id: "Activation" });
export type Activation = z.infer<typeof ActivationSchema>;
