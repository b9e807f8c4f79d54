import type { Direction } from "@sweeplab/contract";

export type { Direction } from "@sweeplab/contract";
export { DirectionSchema } from "@sweeplab/contract";

/** True when `a` is strictly better than `b` in `direction`. */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === "maximize" ? a > b : a < b;
}

/** Compares for sorting best first. */
export function bestFirst(direction: Direction): (a: number, b: number) => number {
  return direction === "maximize" ? (a, b) => b - a : (a, b) => a - b;
}
