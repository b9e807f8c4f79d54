import { CoreError } from "../errors.ts";
import { describeIssues } from "../strict-object.ts";
import { type RunConfig, type RunConfigInput, RunConfigSchema } from "./config.ts";

/** Checks unknown input against RunConfigSchema; an INVALID_CONFIG CoreError lists every problem. */
export function parseRunConfig(input: unknown): RunConfig {
  const result = RunConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = describeIssues(result.error.issues);
  const summary = issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
  throw new CoreError("INVALID_CONFIG", `invalid run config: ${summary}`, { details: { issues } });
}

export type { RunConfig, RunConfigInput };
