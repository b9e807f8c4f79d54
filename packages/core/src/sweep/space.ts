import { z } from "zod";
import { CoreError } from "../errors.ts";
import type { RunConfigInput } from "../train/config.ts";
import { RunConfigSchema } from "../train/config.ts";
import { knownConfigPath } from "./config-paths.ts";

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

const invalid = (message: string, details?: Record<string, unknown>) =>
  new CoreError("INVALID_CONFIG", `invalid search space: ${message}`, details ? { details } : {});

function isPrefix(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`);
}

/**
 * The order parameters are applied in: a parameter comes after every parameter that writes its condition's path
 * (or a parent of it), and after any that replaces a parent of its own path (a categorical `optimizer` before
 * `optimizer.learningRate`). Ties keep the written order.
 */
function applicationOrder(parameters: SweepParameter[]): SweepParameter[] {
  const dependsOn = (a: SweepParameter, b: SweepParameter) =>
    a !== b &&
    ((a.condition !== undefined && isPrefix(b.path, a.condition.path)) ||
      (b.path !== a.path && isPrefix(b.path, a.path)));
  // Kahn's algorithm, taking the first ready parameter in written order each time: O(n^2) over the pairs.
  const waitingOn = parameters.map((p) => parameters.filter((q) => dependsOn(p, q)).length);
  const done = parameters.map(() => false);
  const ordered: SweepParameter[] = [];
  while (ordered.length < parameters.length) {
    const index = waitingOn.findIndex((count, i) => count === 0 && !done[i]);
    if (index < 0) {
      const remaining = parameters.filter((_, i) => !done[i]);
      throw invalid(`conditions form a cycle among ${remaining.map((p) => p.name).join(", ")}`);
    }
    done[index] = true;
    const next = parameters[index]!;
    ordered.push(next);
    parameters.forEach((p, i) => {
      if (!done[i] && dependsOn(p, next)) waitingOn[i]! -= 1;
    });
  }
  return ordered;
}

function checkParameter(p: SweepParameter): void {
  const where = `parameter "${p.name}"`;
  if (!knownConfigPath(p.path)) throw invalid(`${where}: unknown RunConfig path "${p.path}"`);
  if (p.condition && !knownConfigPath(p.condition.path)) {
    throw invalid(`${where}: condition on unknown RunConfig path "${p.condition.path}"`);
  }
  if (p.type === "categorical") return;
  if (!(p.low < p.high)) throw invalid(`${where}: low (${p.low}) must be below high (${p.high})`);
  const logScale = p.type === "log-uniform" || (p.type === "int" && p.log);
  if (logScale && p.low <= 0) throw invalid(`${where}: a log scale needs low > 0, got ${p.low}`);
  if (p.type !== "int" && p.values) {
    const outside = p.values.filter((v) => v < p.low || v > p.high);
    if (outside.length > 0) throw invalid(`${where}: values ${outside.join(", ")} lie outside [low, high]`);
  }
}

function conditionValues(condition: SweepCondition): unknown[] {
  return "equals" in condition ? [condition.equals] : condition.in;
}

/** Two parameters may write one path only under conditions on one path that no value satisfies both of. */
function checkSharedPaths(parameters: SweepParameter[]): void {
  for (const [i, a] of parameters.entries()) {
    for (const b of parameters.slice(i + 1)) {
      if (a.path !== b.path) continue;
      const exclusive =
        a.condition !== undefined &&
        b.condition !== undefined &&
        a.condition.path === b.condition.path &&
        !conditionValues(a.condition).some((v) => conditionValues(b.condition!).includes(v));
      if (!exclusive) {
        throw invalid(
          `parameters "${a.name}" and "${b.name}" both write ${a.path}: give them conditions on one path that ` +
            "cannot both hold (e.g. optimizer.kind equals adamw / sgd)",
        );
      }
    }
  }
}

/**
 * Checks unknown input against SearchSpaceSchema and the rules a schema cannot state: unique names, paths that
 * exist in RunConfig, low < high, low > 0 on a log scale, parameters sharing a path only under mutually exclusive
 * conditions, no cycle among conditions. Returns the parameters in
 * application order. Throws CoreError INVALID_CONFIG naming the parameter and the problem.
 */
export function parseSearchSpace(input: unknown): SearchSpace {
  const result = SearchSpaceSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const summary = issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
    throw invalid(summary, { issues });
  }
  const seen = new Set<string>();
  for (const p of result.data.parameters) {
    if (seen.has(p.name)) throw invalid(`two parameters are named "${p.name}"`);
    seen.add(p.name);
    checkParameter(p);
  }
  checkSharedPaths(result.data.parameters);
  return { parameters: applicationOrder(result.data.parameters) };
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Paths split once: a grid's walk reads the same few condition paths hundreds of thousands of times. */
const splitPaths = new Map<string, readonly string[]>();
function keysOf(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (!keys) {
    if (splitPaths.size >= 1024) splitPaths.clear();
    keys = path.split(".");
    splitPaths.set(path, keys);
  }
  return keys;
}

function getPath(source: unknown, path: string): unknown {
  let at = source;
  for (const key of keysOf(path)) {
    if (!isRecord(at)) return undefined;
    at = at[key];
  }
  return at;
}

function setPath(target: Json, path: string, value: ParameterValue): void {
  const keys = path.split(".");
  let at = target;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    if (!isRecord(next)) at[key] = {};
    at = at[key] as Json;
  }
  at[keys.at(-1)!] = structuredClone(value);
}

/** RunConfig with its defaults filled in, per config object that never changes (a grid asks about each many times). */
const defaultsOfFrozen = new WeakMap<Json, unknown>();

/** A condition's value: what the config being built holds there, else RunConfig's default for it. */
function lookUp(config: Json, path: string, frozen: boolean): unknown {
  const value = getPath(config, path);
  if (value !== undefined) return value;
  if (frozen && defaultsOfFrozen.has(config)) return getPath(defaultsOfFrozen.get(config), path);
  const parsed = RunConfigSchema.safeParse(config);
  const data = parsed.success ? parsed.data : undefined;
  if (frozen) defaultsOfFrozen.set(config, data);
  return getPath(data, path);
}

/**
 * Whether `parameter` applies to the config built so far. `frozen`: the caller never changes `config` afterwards,
 * so its defaults may be remembered (the grid's walk builds a new object for every value it tries).
 */
export function isParameterActive(
  parameter: SweepParameter,
  config: RunConfigInput,
  options: { frozen?: boolean } = {},
): boolean {
  const condition = parameter.condition;
  if (!condition) return true;
  const value = lookUp(config as Json, condition.path, options.frozen ?? false);
  return "equals" in condition ? value === condition.equals : condition.in.some((v) => v === value);
}

/**
 * Walks the space in application order, asking `choose` for the value of each parameter that is active on the
 * config built so far, and writes it in. The one place conditions are evaluated: samplers and applyParameters
 * both build through it, so they agree on which parameters apply.
 */
export function buildConfig(
  base: RunConfigInput,
  space: SearchSpace,
  choose: (parameter: SweepParameter, config: RunConfigInput) => ParameterValue | undefined,
): { config: RunConfigInput; params: TrialParams } {
  const config = structuredClone(base) as Json;
  const params: TrialParams = {};
  for (const parameter of space.parameters) {
    if (!isParameterActive(parameter, config as RunConfigInput)) continue;
    const value = choose(parameter, config as RunConfigInput);
    if (value === undefined) continue;
    params[parameter.name] = value;
    setPath(config, parameter.path, value);
  }
  return { config: config as RunConfigInput, params };
}

/**
 * The run config of a trial: `base` with each active parameter's value written at its path (a categorical object
 * replaces the whole sub-object, so no key of another optimizer kind is left behind). Throws INVALID_CONFIG when
 * an active parameter is missing from `params` or an inactive one is present. Pass the result to parseRunConfig.
 */
export function applyParameters(
  base: RunConfigInput,
  space: SearchSpace,
  params: TrialParams,
): RunConfigInput {
  const used = new Set<string>();
  const { config } = buildConfig(base, space, (parameter) => {
    const value = params[parameter.name];
    if (value === undefined) throw invalid(`parameter "${parameter.name}" applies but has no value`);
    used.add(parameter.name);
    return value;
  });
  const unused = Object.keys(params).filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw invalid(
      `parameters ${unused.join(", ")} do not apply to this config (unknown or condition not met)`,
    );
  }
  return config;
}
