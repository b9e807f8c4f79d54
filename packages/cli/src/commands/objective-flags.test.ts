import { Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.ts";
import { collectObjective, parseObjectiveFlag, parseRepeatsFlag } from "./objective-flags.ts";
import { buildSweepRequest } from "./sweep.ts";

/** The flags as main.ts declares them, parsed by commander; a bad value ends in the message it would print. */
function parse(argv: string[]): { flags: Record<string, unknown>; error?: string } {
  let error: string | undefined;
  const command = new Command()
    .exitOverride()
    .configureOutput({ writeErr: (m) => (error = m.trim()), writeOut: () => {} })
    .option("--objective <metric:max|min>", "", collectObjective)
    .option("--repeats <k>", "", parseRepeatsFlag);
  try {
    command.parse(argv, { from: "user" });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
  }
  return { flags: command.opts(), error };
}

describe("--objective and --repeats", () => {
  it("reads repeated --objective flags in order, max and min in either spelling", () => {
    const { flags } = parse([
      "--objective",
      "validationAccuracy:max",
      "--objective",
      "msPerStep:minimize",
      "--objective",
      "peakMemoryEstimate:min",
    ]);
    expect(flags.objective).toEqual([
      { metric: "validationAccuracy", direction: "maximize" },
      { metric: "msPerStep", direction: "minimize" },
      { metric: "peakMemoryEstimate", direction: "minimize" },
    ]);
  });

  it("refuses an unknown metric, a missing or unknown direction and extra parts, on one line naming the choices", () => {
    for (const bad of ["accuracy:max", "msPerStep", "msPerStep:down", "msPerStep:min:x", ":max"]) {
      const { error } = parse(["--objective", bad]);
      expect(error).toBe(
        `error: option '--objective <metric:max|min>' argument '${bad}' is invalid. takes METRIC:max or METRIC:min, METRIC one of validationAccuracy, validationLoss, msPerStep, parameterCount, peakMemoryEstimate.`,
      );
    }
    expect(() => parseObjectiveFlag("validationAccuracy:max")).not.toThrow();
  });

  it("takes --repeats auto or a whole number", () => {
    expect(parse(["--repeats", "auto"]).flags.repeats).toBe("auto");
    expect(parse(["--repeats", "3"]).flags.repeats).toBe("3");
    expect(parse(["--repeats", "0"]).error).toMatch(/takes a whole number of at least 1, or auto\.$/);
    expect(parse(["--repeats", "many"]).error).toMatch(/or auto\.$/);
  });

  it("builds the request's objectives, repeats auto and maxRepeats, and refuses combinations the service would", () => {
    const objective = [
      { metric: "validationAccuracy", direction: "maximize" },
      { metric: "msPerStep", direction: "minimize" },
    ] as const;
    const request = buildSweepRequest({
      preset: "seed-mlp",
      method: "motpe",
      objective: [...objective],
      repeats: "auto",
      maxRepeats: "4",
    });
    expect(request).toMatchObject({ method: "motpe", objectives: objective, repeats: "auto", maxRepeats: 4 });
    expect(buildSweepRequest({ preset: "seed-mlp" })).not.toHaveProperty("objectives");
    const refused = (flags: Parameters<typeof buildSweepRequest>[0], message: string) =>
      expect(() => buildSweepRequest({ preset: "seed-mlp", ...flags })).toThrow(new UsageError(message));
    refused(
      { method: "motpe", objective: [objective[0]] },
      "--method motpe searches two or more objectives: give --objective twice or more",
    );
    refused({ objective: [objective[1], objective[1]] }, "--objective names msPerStep twice");
    refused({ maxRepeats: "4" }, "--max-repeats goes with --repeats auto");
  });
});
