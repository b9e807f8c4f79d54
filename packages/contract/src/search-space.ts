import { z } from "zod";

/** A value a condition compares against. */
const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

/**
 * When a parameter applies, judged on the config being built (the base config with the parameters applied before
 * it, RunConfig defaults filling what neither sets): `{ path, equals }` or `{ path, in: [...] }`.
 */
export const ConditionSchema = z
  .union([
    z.strictObject({ path: z.string().min(1), equals: ScalarSchema }),
    z.strictObject({ path: z.string().min(1), in: z.array(ScalarSchema).min(1) }),
  ])
  .meta({ id: "SweepCondition" });

const common = {
  /** Unique within the space; the key of this parameter in a trial's params. */
  name: z.string().min(1),
  /** Dot path into RunConfig that the value is written to, e.g. `optimizer.learningRate` or `model.width`. */
  path: z.string().min(1),
  condition: ConditionSchema.optional(),
};

/** One of a list; a value may be a scalar or an object that replaces the whole sub-object at `path`. */
export const CategoricalParameterSchema = z.strictObject({
  ...common,
  type: z.literal("categorical"),
  values: z.array(z.union([ScalarSchema, z.record(z.string(), z.unknown())])).min(1),
});

/** An integer in [low, high], both included; `log` samples it on a log scale. */
export const IntParameterSchema = z.strictObject({
  ...common,
  type: z.literal("int"),
  low: z.int(),
  high: z.int(),
  log: z.boolean().default(false),
});

/** A real number in [low, high); `values` lists the points a grid visits. */
export const UniformParameterSchema = z.strictObject({
  ...common,
  type: z.literal("uniform"),
  low: z.number(),
  high: z.number(),
  values: z.array(z.number()).min(1).optional(),
});

/** A real number in [low, high) sampled uniformly in log space; `values` lists the points a grid visits. */
export const LogUniformParameterSchema = z.strictObject({
  ...common,
  type: z.literal("log-uniform"),
  low: z.number(),
  high: z.number(),
  values: z.array(z.number()).min(1).optional(),
});

export const ParameterSchema = z
  .discriminatedUnion("type", [
    CategoricalParameterSchema,
    IntParameterSchema,
    UniformParameterSchema,
    LogUniformParameterSchema,
  ])
  .meta({ id: "SweepParameter" });

/** The parameters a sweep varies, in the order they are written (conditions may reorder them, see parseSearchSpace). */
export const SearchSpaceSchema = z
  .strictObject({ parameters: z.array(ParameterSchema).min(1) })
  .meta({ id: "SearchSpace" });

export type SweepCondition = z.infer<typeof ConditionSchema>;
export type SweepParameter = z.infer<typeof ParameterSchema>;
export type SearchSpace = z.infer<typeof SearchSpaceSchema>;
/** A search space as callers write it (`log` may be left out). */
export type SearchSpaceInput = z.input<typeof SearchSpaceSchema>;
/** One parameter's value in a trial. */
export type ParameterValue = string | number | boolean | Record<string, unknown>;
/** A trial's parameters by name; inactive parameters are absent. */
export type TrialParams = Record<string, ParameterValue>;
