import { describe, expect, it } from "vitest";
import { parseSpace, SPACE_EXAMPLE } from "./space-text.ts";

describe("the sweep form's space text", () => {
  it("is unset when empty, an object when JSON, and a problem otherwise", () => {
    expect(parseSpace("  ")).toEqual({});
    expect(parseSpace(SPACE_EXAMPLE).value).toMatchObject({ parameters: [{ name: "learningRate" }, {}] });
    expect(parseSpace("[1]").error).toMatch(/JSON object/);
    expect(parseSpace("{ parameters").error).toMatch(/^not JSON/);
  });
});
