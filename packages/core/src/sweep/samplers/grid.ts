import { CoreError } from "../../errors.ts";
import type { RunConfigInput } from "../../train/config.ts";
import {
  applyParameters,
  isParameterActive,
  type ParameterValue,
  type SearchSpace,
  type SweepParameter,
  type TrialParams,
} from "../space.ts";
import type { Proposal, ProposeInput } from "./sampler.ts";

/** Grids larger than this are refused: a sweep that long is not what a grid is for. */
export const MAX_GRID_POINTS = 100_000;

function gridValues(parameter: SweepParameter): ParameterValue[] {
  switch (parameter.type) {
    case "categorical":
      return parameter.values;
    case "int": {
      const count = parameter.high - parameter.low + 1;
      if (count > MAX_GRID_POINTS) {
        throw new CoreError("INVALID_CONFIG", `grid: int parameter "${parameter.name}" has ${count} values`);
      }
      return Array.from({ length: count }, (_, i) => parameter.low + i);
    }
    default:
      if (!parameter.values) {
        throw new CoreError(
          "INVALID_CONFIG",
          `grid: ${parameter.type} parameter "${parameter.name}" needs explicit values to be searched on a grid`,
        );
      }
      return parameter.values;
  }
}

/**
 * Every point of the grid, in order: the cartesian product of the parameters' values (categorical values, every
 * integer of an int range, a continuous parameter's `values`), the last parameter in application order varying
 * fastest. A conditional parameter multiplies only the branches where it applies, so no point repeats.
 */
export function gridPoints(space: SearchSpace, base: RunConfigInput = {}): TrialParams[] {
  const points: TrialParams[] = [];
  const walk = (index: number, params: TrialParams) => {
    const parameter = space.parameters[index];
    if (!parameter) {
      points.push(params);
      if (points.length > MAX_GRID_POINTS) {
        throw new CoreError("INVALID_CONFIG", `grid: more than ${MAX_GRID_POINTS} points`);
      }
      return;
    }
    const config = applyParameters(base, { parameters: space.parameters.slice(0, index) }, params);
    if (!isParameterActive(parameter, config)) return walk(index + 1, params);
    for (const value of gridValues(parameter)) walk(index + 1, { ...params, [parameter.name]: value });
  };
  walk(0, {});
  return points;
}

/** How many trials a full grid search over `space` runs. */
export function gridSize(space: SearchSpace, base: RunConfigInput = {}): number {
  return gridPoints(space, base).length;
}

/** Grid search: trial i is the i-th grid point (seed and history play no part). Past the end it is an error. */
export function proposeGrid(input: ProposeInput): Proposal {
  const points = gridPoints(input.space, input.base);
  const params = points[input.trialIndex];
  if (!params) {
    throw new CoreError(
      "INVALID_CONFIG",
      `grid: trial ${input.trialIndex} asked for, but the grid has ${points.length} points`,
    );
  }
  return { params };
}
