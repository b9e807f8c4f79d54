import { describe, expect, it } from "vitest";
import { isTerminal, RUN_STATUSES, SWEEP_STATUSES } from "./index.ts";

describe("isTerminal", () => {
  it("holds for the ended run statuses and no others", () => {
    expect(RUN_STATUSES.filter(isTerminal)).toEqual([
      "succeeded",
      "failed",
      "canceled",
      "diverged",
      "pruned",
    ]);
  });
  it("holds for the ended sweep statuses and not for running", () => {
    expect(SWEEP_STATUSES.filter(isTerminal)).toEqual(["succeeded", "failed", "canceled"]);
  });
});
