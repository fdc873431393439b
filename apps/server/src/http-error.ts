import type { z } from "zod";

/** An error whose status and message are safe to show to the client (4xx, or a deliberate 503). */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;

  constructor(statusCode: number, code: string, message: string) {
    super(message);
    this.name = "HttpError";
    this.statusCode = statusCode;
    this.code = code;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Validates client input with a route schema; a mismatch is a 400 naming the fields, never echoing values. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join(".") || "(root)"))].slice(0, 5);
  throw new HttpError(400, `invalid-${what}`, `invalid ${what}: ${fields.join(", ")}`);
}
