import { describe, expect, it } from "vitest";
import { inkToMnist } from "./ink-to-mnist.ts";

const at = (image: number[], x: number, y: number) => image[y * 28 + x]!;

describe("inkToMnist", () => {
  it("gives 784 zeros for an empty drawing", () => {
    const image = inkToMnist(new Float32Array(280 * 280), 280, 280);
    expect(image).toHaveLength(784);
    expect(image.every((v) => v === 0)).toBe(true);
  });

  it("scales a filled square in a corner to 20x20 and centres it", () => {
    const ink = new Float32Array(280 * 280);
    for (let y = 0; y < 100; y++) for (let x = 0; x < 100; x++) ink[y * 280 + x] = 1;
    const image = inkToMnist(ink, 280, 280);
    // 20x20 box, centre of mass at (14, 14): columns and rows 4..23.
    expect(image.filter((v) => v === 255)).toHaveLength(400);
    expect([at(image, 4, 4), at(image, 23, 23), at(image, 3, 4), at(image, 24, 23)]).toEqual([
      255, 255, 0, 0,
    ]);
  });

  it("keeps a tall stroke's aspect ratio (20 high, proportionally narrow) and averages partial cover", () => {
    const ink = new Float32Array(200 * 200);
    for (let y = 0; y < 200; y++) for (let x = 50; x < 70; x++) ink[y * 200 + x] = 0.5;
    const image = inkToMnist(ink, 200, 200);
    const lit = image.map((v, i) => [v, i % 28, Math.floor(i / 28)] as const).filter(([v]) => v > 0);
    expect(new Set(lit.map(([, , y]) => y)).size).toBe(20);
    expect(new Set(lit.map(([, x]) => x)).size).toBe(2);
    expect(lit.every(([v]) => v === 128)).toBe(true);
  });
});
