import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { isSeverity, type ScanLevel, type Severity } from "@modelaudit/core";
import type { FastifyRequest } from "fastify";
import { sanitizeFileName, uniqueNames } from "./file-name.js";
import { HttpError } from "./http-error.js";

export interface UploadLimits {
  /** Largest single file, in bytes. */
  maxUploadBytes: number;
  /** Most file parts in one request. */
  maxFiles: number;
}

export interface UploadedFile {
  /** The sanitised uploaded name, made unique within the request: what the report shows. */
  name: string;
  /** Where the bytes sit until the scan ends. */
  diskPath: string;
}

export interface Upload {
  /** Private directory holding this request's files; the caller removes it after the scan. */
  directory: string;
  files: UploadedFile[];
  level?: ScanLevel;
  failOn?: Severity;
}

const LEVELS: readonly string[] = ["quick", "standard", "thorough"];
const FIELD_NAMES = new Set(["level", "failOn"]);

/**
 * Streams every `file` part of a multipart request to disk under a fresh 0700 directory inside
 * `uploadsDirectory`, one sub-directory per part so equal names cannot collide, and reads the
 * `level` and `failOn` fields. Nothing is held in memory beyond the stream buffers. On any error the
 * directory is removed before the error propagates.
 */
export async function receiveUpload(
  request: FastifyRequest,
  uploadsDirectory: string,
  limits: UploadLimits,
): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new HttpError(415, "not-multipart", "expected a multipart/form-data body with one or more `file` parts");
  }
  const directory = await mkdtemp(path.join(uploadsDirectory, "upload-"));
  const upload: Upload = { directory, files: [] };
  try {
    const parts = request.parts({
      limits: {
        fileSize: limits.maxUploadBytes,
        files: limits.maxFiles,
        fields: FIELD_NAMES.size,
        fieldSize: 64,
        fieldNameSize: 64,
        parts: limits.maxFiles + FIELD_NAMES.size,
        headerPairs: 64,
      },
    });
    const names: string[] = [];
    for await (const part of parts) {
      if (part.type === "field") {
        readField(upload, part.fieldname, part.value);
        continue;
      }
      if (part.fieldname !== "file") {
        part.file.resume();
        throw new HttpError(400, "unexpected-part", `unexpected file part "${printableName(part.fieldname)}"`);
      }
      const name = sanitizeFileName(part.filename);
      if (name === undefined) {
        part.file.resume();
        throw new HttpError(400, "invalid-file-name", `invalid file name "${printableName(part.filename ?? "")}"`);
      }
      const partDirectory = path.join(directory, String(upload.files.length));
      await mkdir(partDirectory, { mode: 0o700 });
      const diskPath = path.join(partDirectory, name);
      const tooLarge = () =>
        new HttpError(
          413,
          "file-too-large",
          `file "${name}" is larger than the upload limit of ${limits.maxUploadBytes} bytes`,
        );
      try {
        await pipeline(part.file, createWriteStream(diskPath, { flags: "wx", mode: 0o600 }));
      } catch (error) {
        if ((error as { code?: unknown }).code === "FST_REQ_FILE_TOO_LARGE" || part.file.truncated) throw tooLarge();
        throw error;
      }
      // The stream can end cut at the limit instead of failing; a truncated file must never be scanned as whole.
      if (part.file.truncated) throw tooLarge();
      names.push(name);
      upload.files.push({ name, diskPath });
    }
    if (upload.files.length === 0) throw new HttpError(400, "no-files", "no `file` parts in the request");
    const unique = uniqueNames(names);
    upload.files.forEach((file, index) => {
      file.name = unique[index] ?? file.name;
    });
    return upload;
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
  return new HttpError(400, "malformed-multipart", `the multipart body is malformed or incomplete: ${error.message}`);
}

function readField(upload: Upload, fieldName: string, value: unknown): void {
  if (!FIELD_NAMES.has(fieldName)) {
    throw new HttpError(400, "unexpected-field", `unexpected field "${printableName(fieldName)}"`);
  }
  const text = typeof value === "string" ? value.trim() : undefined;
  if (fieldName === "level") {
    if (text === undefined || !LEVELS.includes(text)) {
      throw new HttpError(400, "invalid-level", "level must be quick, standard or thorough");
    }
    upload.level = text as ScanLevel;
  } else {
    if (!isSeverity(text)) throw new HttpError(400, "invalid-fail-on", "failOn must be critical, warning or info");
    upload.failOn = text;
  }
}

/** Names from the client go back into error messages: bounded, without control characters. */
function printableName(name: string): string {
  const cleaned = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return cleaned.length > 100 ? `${cleaned.slice(0, 100)}…` : cleaned;
}
