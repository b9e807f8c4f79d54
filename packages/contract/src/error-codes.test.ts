import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES, ERROR_CODES, ErrorCodeSchema, isErrorCode, RUN_ERROR_CODES } from "./index.ts";

describe("ERROR_CODES", () => {
  it("is one list without repeats that holds core's and the store's codes", () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of [...CORE_ERROR_CODES, ...RUN_ERROR_CODES]) expect(ERROR_CODES).toContain(code);
  });
  it("refuses a code outside the list", () => {
    expect(isErrorCode("NOT_FOUND")).toBe(true);
    expect(isErrorCode("NOPE")).toBe(false);
    expect(ErrorCodeSchema.safeParse("NOPE").success).toBe(false);
  });
});
