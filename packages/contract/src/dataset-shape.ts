import { z } from "zod";

/** A dataset's image size, class count and normalisation, as runs record it. */
export const DatasetShapeSchema = z
  .object({
    name: z.string(),
    rows: z.int(),
    columns: z.int(),
    classes: z.int(),
    mean: z.number(),
    std: z.number(),
  })
  .meta({ id: "DatasetShape" });
export type DatasetShape = z.infer<typeof DatasetShapeSchema>;
