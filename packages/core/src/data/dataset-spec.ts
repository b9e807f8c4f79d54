import { z } from "zod";

/** Where a run's images come from: a bundled name, a folder of the four IDX files, or a checked download. */
export const DatasetSpecSchema = z
  .union([
    z.enum(["mnist", "fashion-mnist"]),
    z.object({ kind: z.literal("folder"), path: z.string().min(1) }),
    z.object({
      kind: z.literal("url"),
      baseUrl: z.url(),
      /** SHA-256 (hex) of each of the four files, keyed by file name as served under `baseUrl`. */
      sha256: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/i)),
    }),
  ])
  .meta({ id: "DatasetSpec" });
export type DatasetSpec = z.infer<typeof DatasetSpecSchema>;
