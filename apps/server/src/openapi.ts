import { z } from "zod";
import { errorSchema } from "./schemas.js";

/** One route as documented: the same zod schemas the handler validates with. */
export interface RouteDoc {
  method: "get" | "post" | "delete";
  url: string;
  summary: string;
  /** False only for the health checks. */
  auth: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request bodies by content type. */
  body?: Record<string, z.ZodType>;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  });
  return rest;
}

function parameters(schema: z.ZodObject | undefined, where: "path" | "query"): unknown[] {
  if (!schema) return [];
  const object = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (object.required ?? []).includes(name),
    schema: property,
  }));
}

/** The OpenAPI 3.1 document (JSON Schema 2020-12 dialect, which zod emits). */
export function openApiDocument(routes: readonly RouteDoc[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const defaultErrors = {
    401: "missing or unknown bearer token",
    429: "the token's request rate limit was reached",
  };
  for (const route of routes) {
    const url = route.url.replace(/:([A-Za-z]+)/g, "{$1}");
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? {
              content: {
                [response.contentType ?? "application/json"]: { schema: jsonSchema(response.schema, "output") },
              },
            }
          : {}),
      };
    }
    if (route.auth) {
      for (const [status, description] of Object.entries(defaultErrors)) {
        responses[status] ??= {
          description,
          content: { "application/json": { schema: jsonSchema(errorSchema, "output") } },
        };
      }
    }
    paths[url] ??= {};
    (paths[url] as Record<string, unknown>)[route.method] = {
      summary: route.summary,
      ...(route.auth ? {} : { security: [] }),
      parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                Object.entries(route.body).map(([type, schema]) => [type, { schema: jsonSchema(schema, "input") }]),
              ),
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "ModelAudit-TS scanning service",
      version,
      description:
        "Scans ML model files for unsafe content without loading them. Asynchronous: POST a scan, then poll it.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
