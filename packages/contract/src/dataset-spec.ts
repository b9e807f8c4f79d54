import { z } from "zod";
import { strictObject } from "./strict-object.ts";

/** Where a run's images come from: a bundled name, a folder of the four IDX files, or a checked download. */
export const DatasetSpecSchema = z
  .union([
    z.enum(["mnist", "fashion-mnist"]),
    strictObject({ kind: z.literal("folder"), path: z.string().min(1) }),
    strictObject({
      kind: z.literal("url"),
      /** http(s), no query or fragment: each file name is appended to its path. */
      baseUrl: z
        .url({ protocol: /^https?$/ })
        .refine((u) => !u.includes("?") && !u.includes("#"), "must not hold a query or fragment"),
      /** SHA-256 (hex) of each of the four files, keyed by file name as served under `baseUrl`. */
      sha256: z.record(z.string().regex(/^[\w.-]+$/), z.string().regex(/^[0-9a-f]{64}$/i)),
    }),
  ])
  .meta({ id: "DatasetSpec" });
export type DatasetSpec = z.infer<typeof DatasetSpecSchema>;
