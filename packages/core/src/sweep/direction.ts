import { z } from "zod";

/** Whether a larger metric is better (`maximize`, e.g. validation accuracy) or a smaller one (`minimize`, a loss). */
export const DirectionSchema = z.enum(["maximize", "minimize"]).meta({ id: "SweepDirection" });
export type Direction = z.infer<typeof DirectionSchema>;

/** True when `a` is strictly better than `b` in `direction`. */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === "maximize" ? a > b : a < b;
}

/** Compares for sorting best first. */
export function bestFirst(direction: Direction): (a: number, b: number) => number {
  return direction === "maximize" ? (a, b) => b - a : (a, b) => a - b;
}
