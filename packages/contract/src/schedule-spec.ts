import { z } from "zod";
import { strictObject } from "./strict-object.ts";

export const ScheduleSpecSchema = z
  .discriminatedUnion("kind", [
    strictObject({
      kind: z.literal("cosine"),
      /** Linear warm-up from lr / warmupSteps to the peak over the first steps. */
      warmupSteps: z.int().min(0).default(0),
      /** The floor as a fraction of the peak; 0.02 as in the reference study (9.804e-4 ends at 1.96e-5). */
      floorRatio: z.number().min(0).max(1).default(0.02),
    }),
    strictObject({ kind: z.literal("constant") }),
  ])
  .meta({ id: "ScheduleSpec" });
export type ScheduleSpec = z.infer<typeof ScheduleSpecSchema>;
