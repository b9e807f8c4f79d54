import { describe, expect, it } from "vitest";
import { RunConfigSchema } from "./index.ts";
import { closestName, describeIssues } from "./strict-object.ts";

describe("strict config objects", () => {
  it("suggests the closest known name by edit distance or prefix, or none", () => {
    const known = ["steps", "batchSize", "logEverySteps", "evalEverySteps", "validationSize"];
    expect(closestName("stpes", known)).toBe("steps");
    expect(closestName("batchsize", known)).toBe("batchSize");
    expect(closestName("batch", known)).toBe("batchSize");
    expect(closestName("evalEvery", known)).toBe("evalEverySteps");
    expect(closestName("learningRate", known)).toBeUndefined();
  });

  it("refuses unknown fields in a run config, one issue per field", () => {
    const result = RunConfigSchema.safeParse({ stepz: 5, model: { kind: "mlp", widht: 8 }, foo: 1 });
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!.issues)).toEqual([
      { path: "model.widht", message: 'unknown field "widht" (did you mean "width"?)' },
      { path: "stepz", message: 'unknown field "stepz" (did you mean "steps"?)' },
      { path: "foo", message: 'unknown field "foo"' },
    ]);
  });
});
