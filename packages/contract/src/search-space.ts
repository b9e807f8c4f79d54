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

/** Parameters in one space at most: checking a space costs the square of its size. */
export const MAX_SPACE_PARAMETERS = 128;
/** Values one categorical parameter lists at most. */
export const MAX_CATEGORICAL_VALUES = 10_000;
/** How deep an object value of a categorical parameter may nest (RunConfig itself is three levels deep). */
export const MAX_VALUE_DEPTH = 8;

/** Whether `value` nests no deeper than `limit` objects or arrays; iterative, so a hostile depth cannot overflow. */
function nestsAtMost(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  let visited = 0;
  while (stack.length > 0) {
    const [at, depth] = stack.pop()!;
    if (typeof at !== "object" || at === null) continue;
    if (depth > limit || ++visited > 10_000) return false;
    for (const child of Object.values(at)) stack.push([child, depth + 1]);
  }
  return true;
}

/** One of a list; a value may be a scalar or an object that replaces the whole sub-object at `path`. */
export const CategoricalParameterSchema = z.strictObject({
  ...common,
  type: z.literal("categorical"),
  values: z
    .array(
      z.union([
        ScalarSchema,
        z
          .record(z.string(), z.unknown())
          .refine((v) => nestsAtMost(v, MAX_VALUE_DEPTH), `nests deeper than ${MAX_VALUE_DEPTH} levels`),
      ]),
    )
    .min(1)
    .max(MAX_CATEGORICAL_VALUES),
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
  .strictObject({ parameters: z.array(ParameterSchema).min(1).max(MAX_SPACE_PARAMETERS) })
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
