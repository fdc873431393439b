import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import { sanitizeFileName } from "./file-name.js";
import { HttpError } from "./http-error.js";
import { printable } from "./printable.js";
import { type ScanOptionsBody, scanOptionsSchema } from "./schemas.js";

export interface UploadLimits {
  /** Most bytes of all files of one request together. */
  maxUploadBytes: number;
  /** Most file parts in one request. */
  maxFiles: number;
}

export interface Upload {
  /** The uploaded names, in arrival order: the files of one model folder. */
  names: string[];
  options: ScanOptionsBody;
}

const FIELD_NAMES = new Set(["level", "failOn"]);

/**
 * Streams every `file` part of a multipart request into `directory` (created 0700), the files of
 * one request side by side as one model folder, and reads the `level` and `failOn` fields. Limits
 * are enforced while the bytes arrive: the request fails at the first byte past the total, not
 * after the upload. On any error the directory and everything in it is removed before the error
 * propagates.
 */
export async function receiveUpload(request: FastifyRequest, directory: string, limits: UploadLimits): Promise<Upload> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const names: string[] = [];
  const fields: Record<string, string> = {};
  let received = 0;
  const tooLarge = () =>
    new HttpError(413, "upload-too-large", `the upload is larger than the limit of ${limits.maxUploadBytes} bytes`);
  try {
    const parts = request.parts({
      limits: {
        // One byte more than the total: the counter below sees the first byte past the limit and fails the
        // request at once. At exactly the limit, busboy would instead end the file cut short only when the
        // part ends, i.e. after reading (and dropping) the rest of the body, however large.
        fileSize: limits.maxUploadBytes + 1,
        files: limits.maxFiles,
        fields: FIELD_NAMES.size,
        fieldSize: 64,
        fieldNameSize: 64,
        parts: limits.maxFiles + FIELD_NAMES.size,
        headerPairs: 64,
      },
    });
    for await (const part of parts) {
      if (part.type === "field") {
        if (!FIELD_NAMES.has(part.fieldname) || typeof part.value !== "string") {
          throw new HttpError(400, "unexpected-field", `unexpected field "${printable(part.fieldname)}"`);
        }
        fields[part.fieldname] = part.value.trim();
        continue;
      }
      if (part.fieldname !== "file") {
        part.file.resume();
        throw new HttpError(400, "unexpected-part", `unexpected file part "${printable(part.fieldname)}"`);
      }
      const name = sanitizeFileName(part.filename);
      if (name === undefined) {
        part.file.resume();
        throw new HttpError(400, "invalid-file-name", `invalid file name "${printable(part.filename ?? "")}"`);
      }
      if (names.includes(name)) {
        part.file.resume();
        throw new HttpError(400, "duplicate-file-name", `two files are named "${printable(name)}"`);
      }
      names.push(name);
      // Counts bytes across every part of the request and stops at the first byte past the total.
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback: TransformCallback) {
          received += chunk.length;
          if (received > limits.maxUploadBytes) callback(tooLarge());
          else callback(null, chunk);
        },
      });
      try {
        await pipeline(part.file, counter, createWriteStream(path.join(directory, name), { flags: "wx", mode: 0o600 }));
      } catch (error) {
        if ((error as { code?: unknown }).code === "FST_REQ_FILE_TOO_LARGE" || part.file.truncated) throw tooLarge();
        throw error;
      }
      // The stream can end cut at the limit instead of failing; a truncated file must never be scanned as whole.
      if (part.file.truncated) throw tooLarge();
    }
    if (names.length === 0) throw new HttpError(400, "no-files", "no `file` parts in the request");
    const options = scanOptionsSchema.safeParse(fields);
    if (!options.success) throw new HttpError(400, "invalid-options", "level or failOn has a value not allowed");
    return { names, options: options.data };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw asClientError(error);
  }
}

/**
 * The multipart parser fails with plain errors on a cut or malformed body: that is the client's
 * fault (400). Errors with a status keep it; file-system errors (they carry a syscall) stay server errors.
 */
function asClientError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (error instanceof HttpError || "statusCode" in error || "syscall" in error) return error;
  return new HttpError(400, "malformed-multipart", "the multipart body is malformed or incomplete");
}
