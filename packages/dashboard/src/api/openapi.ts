import { ApiError } from "@sweeplab/sdk";

/** The subset of JSON Schema (OpenAPI 3.1) the service's documents use, as the run form reads it. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  prefixItems?: JsonSchema[];
  items?: JsonSchema;
  description?: string;
  discriminator?: { propertyName: string };
}

export interface OpenApiDocument {
  components: { schemas: Record<string, JsonSchema> };
}

/** The service's own OpenAPI document: the form is built from it at runtime, so it cannot drift from the API. */
export async function loadOpenApi(): Promise<OpenApiDocument> {
  const response = await fetch("/openapi.json");
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError({
      type: "about:blank",
      title: response.statusText,
      status: response.status,
      code: body.code ?? `HTTP_${response.status}`,
      detail: body.detail ?? response.statusText,
    });
  }
  return (await response.json()) as OpenApiDocument;
}
