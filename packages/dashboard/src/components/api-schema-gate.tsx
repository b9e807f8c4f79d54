import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { loadOpenApi, type OpenApiDocument } from "../api/openapi.ts";
import { queryKeys } from "../api/query-keys.ts";
import { ErrorAlert } from "./error-alert.tsx";

/** Loads the service's OpenAPI document once per session, then renders what is built from it (the forms). */
export function ApiSchemaGate({ children }: { children: (doc: OpenApiDocument) => ReactNode }) {
  const doc = useQuery({
    queryKey: queryKeys.openapi,
    queryFn: loadOpenApi,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (doc.isError) return <ErrorAlert error={doc.error} />;
  if (!doc.data) return <p>Loading the API's schema…</p>;
  return children(doc.data);
}
