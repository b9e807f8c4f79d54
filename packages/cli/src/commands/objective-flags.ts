// `sweeplab sweep --objective metric:max|min` (repeatable) and `--repeats K|auto`, read into the request's shapes.
import { type Objective, ObjectiveMetricSchema } from "@sweeplab/contract";
import { InvalidArgumentError } from "commander";

const DIRECTIONS: Record<string, Objective["direction"]> = {
  max: "maximize",
  maximize: "maximize",
  min: "minimize",
  minimize: "minimize",
};

/** One `--objective` value: `validationAccuracy:max`, `msPerStep:min`; a usage error names what is allowed. */
export function parseObjectiveFlag(text: string): Objective {
  const [metric, word, ...rest] = text.split(":");
  const direction = word === undefined ? undefined : DIRECTIONS[word];
  const parsed = ObjectiveMetricSchema.safeParse(metric);
  if (!parsed.success || !direction || rest.length > 0) {
    throw new InvalidArgumentError(
      `takes METRIC:max or METRIC:min, METRIC one of ${ObjectiveMetricSchema.options.join(", ")}.`,
    );
  }
  return { metric: parsed.data, direction };
}

/** commander's collector for the repeatable `--objective`: each value parsed, in the order given. */
export function collectObjective(text: string, previous: Objective[] | undefined): Objective[] {
  return [...(previous ?? []), parseObjectiveFlag(text)];
}

/** `--repeats`: a whole number of at least 1, or `auto` (kept as the string given). */
export function parseRepeatsFlag(value: string): string {
  if (value === "auto") return value;
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError("takes a whole number of at least 1, or auto.");
  return value;
}
