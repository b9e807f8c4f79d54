// Grid search without enumerating the grid: a point is a mixed-radix number over the active parameters' value
// lists, so the k-th point is found by skipping whole subtrees by their size. A subtree with no condition left in
// it is a plain product (counted and indexed by arithmetic); only conditional parameters are walked, and a walk is
// bounded by the point asked for (`trialIndex`), never by the size of the grid.
import { CoreError } from "../../errors.ts";
import type { RunConfigInput } from "../../train/config.ts";
import {
  isParameterActive,
  type ParameterValue,
  type SearchSpace,
  type SweepParameter,
  type TrialParams,
} from "../space.ts";
import type { Proposal, ProposeInput } from "./sampler.ts";

/** The most points gridPoints lists and gridSize counts by default. */
export const MAX_GRID_POINTS = 100_000;

type Json = Record<string, unknown>;

/** A parameter's grid values, indexed without building the list (an int range may hold billions). */
interface Axis {
  size: number;
  at(i: number): ParameterValue;
}

function axisOf(parameter: SweepParameter): Axis {
  switch (parameter.type) {
    case "categorical":
      return { size: parameter.values.length, at: (i) => parameter.values[i]! };
    case "int":
      return { size: parameter.high - parameter.low + 1, at: (i) => parameter.low + i };
    default:
      if (!parameter.values) {
        throw new CoreError(
          "INVALID_CONFIG",
          `grid: ${parameter.type} parameter "${parameter.name}" needs explicit values to be searched on a grid`,
        );
      }
      return { size: parameter.values.length, at: (i) => parameter.values![i]! };
  }
}

/** `config` with `value` at `keys`, copying only the objects on the path (values are shared, never mutated). */
function withValue(config: Json, keys: readonly string[], value: ParameterValue, at = 0): Json {
  const key = keys[at]!;
  if (at === keys.length - 1) return { ...config, [key]: value };
  const child = config[key];
  const inner = typeof child === "object" && child !== null && !Array.isArray(child) ? (child as Json) : {};
  return { ...config, [key]: withValue(inner, keys, value, at + 1) };
}

class Grid {
  readonly axes: Axis[];
  /** Each parameter's path, split. */
  private readonly keys: string[][];
  /** Points of the subtree below parameter i when no parameter from i on has a condition; else undefined. */
  private readonly plainSize: (number | undefined)[];

  readonly root: Json;

  constructor(
    private readonly space: SearchSpace,
    base: Json,
  ) {
    // A copy of our own: conditions' defaults are remembered per config object, which must then never change.
    this.root = { ...base };
    this.axes = space.parameters.map(axisOf);
    this.keys = space.parameters.map((p) => p.path.split("."));
    const n = space.parameters.length;
    this.plainSize = new Array(n + 1);
    this.plainSize[n] = 1;
    for (let i = n - 1; i >= 0; i--) {
      const below = this.plainSize[i + 1];
      this.plainSize[i] =
        below === undefined || space.parameters[i]!.condition ? undefined : below * this.axes[i]!.size;
    }
  }

  private active(i: number, config: Json): boolean {
    return isParameterActive(this.space.parameters[i]!, config as RunConfigInput, { frozen: true });
  }

  /** The first parameter from i on that is active on `config` or starts a plain subtree (a loop, not recursion). */
  private skip(i: number, config: Json): number {
    while (i < this.axes.length && this.plainSize[i] === undefined && !this.active(i, config)) i++;
    return i;
  }

  /** Points below parameter i on `config`, counted up to `atMost` (the walk stops there). */
  count(from: number, config: Json, atMost: number): number {
    const i = this.skip(from, config);
    const plain = this.plainSize[i];
    if (plain !== undefined) return Math.min(plain, atMost);
    const axis = this.axes[i]!;
    let total = 0;
    for (let v = 0; v < axis.size && total < atMost; v++) {
      total += this.count(i + 1, withValue(config, this.keys[i]!, axis.at(v)), atMost - total);
    }
    return total;
  }

  /** The k-th point (0-based) below parameter i, or undefined past the end. */
  pointAt(k: number, from = 0, config: Json = this.root, params: TrialParams = {}): TrialParams | undefined {
    const i = this.skip(from, config);
    if (i === this.space.parameters.length) return k === 0 ? params : undefined;
    const parameter = this.space.parameters[i]!;
    const axis = this.axes[i]!;
    const plain = this.plainSize[i];
    if (plain !== undefined) {
      if (k >= plain) return undefined;
      // Mixed radix: the last parameter varies fastest.
      const point = { ...params };
      let rest = k;
      for (let j = this.space.parameters.length - 1; j >= i; j--) {
        const size = this.axes[j]!.size;
        point[this.space.parameters[j]!.name] = this.axes[j]!.at(rest % size);
        rest = Math.floor(rest / size);
      }
      return point;
    }
    let rest = k;
    for (let v = 0; v < axis.size; v++) {
      const value = axis.at(v);
      const next = withValue(config, this.keys[i]!, value);
      const below = this.count(i + 1, next, rest + 1);
      if (rest < below) return this.pointAt(rest, i + 1, next, { ...params, [parameter.name]: value });
      rest -= below;
    }
    return undefined;
  }

  /** The first `limit` points in order, each found without listing the ones before it twice. */
  *points(
    limit: number,
    from = 0,
    config: Json = this.root,
    params: TrialParams = {},
  ): Generator<TrialParams> {
    if (limit <= 0) return;
    const i = this.skip(from, config);
    const plain = this.plainSize[i];
    if (plain !== undefined) {
      for (let k = 0; k < Math.min(plain, limit); k++) yield this.pointAt(k, i, config, params)!;
      return;
    }
    const parameter = this.space.parameters[i]!;
    const axis = this.axes[i]!;
    let left = limit;
    for (let v = 0; v < axis.size && left > 0; v++) {
      const value = axis.at(v);
      for (const point of this.points(left, i + 1, withValue(config, this.keys[i]!, value), {
        ...params,
        [parameter.name]: value,
      })) {
        left -= 1;
        yield point;
      }
    }
  }
}

/**
 * The first `limit` points of the grid (default MAX_GRID_POINTS), in order: the cartesian product of the
 * parameters' values (categorical values, every integer of an int range, a continuous parameter's `values`), the
 * last parameter in application order varying fastest. A conditional parameter multiplies only the branches where
 * it applies, so no point repeats. Work grows with `limit`, not with the size of the grid.
 */
export function gridPoints(
  space: SearchSpace,
  base: RunConfigInput = {},
  limit = MAX_GRID_POINTS,
): TrialParams[] {
  return [...new Grid(space, base as Json).points(limit)];
}

/**
 * How many trials a full grid search over `space` runs, counted up to `atMost` (default MAX_GRID_POINTS): a grid
 * without conditions is counted by multiplying; a conditional one is walked only until `atMost` points are seen.
 */
export function gridSize(space: SearchSpace, base: RunConfigInput = {}, atMost = MAX_GRID_POINTS): number {
  const grid = new Grid(space, base as Json);
  return grid.count(0, grid.root, atMost);
}

/** Grid search: trial i is the i-th grid point (seed and history play no part). Past the end it is an error. */
export function proposeGrid(input: ProposeInput): Proposal {
  const grid = new Grid(input.space, (input.base ?? {}) as Json);
  const params = grid.pointAt(input.trialIndex);
  if (!params) {
    const size = grid.count(0, grid.root, input.trialIndex + 1);
    throw new CoreError(
      "INVALID_CONFIG",
      `grid: trial ${input.trialIndex} asked for, but the grid has ${size} points`,
    );
  }
  return { params };
}
