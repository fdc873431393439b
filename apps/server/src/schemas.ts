import { z } from "zod";
import { SCAN_STATUSES } from "./store.js";

/** The route schemas: requests are validated with them and the OpenAPI document is generated from them. */

export const levelSchema = z.enum(["quick", "standard", "thorough"]);
export const severitySchema = z.enum(["critical", "warning", "info"]);

export const scanOptionsSchema = z.strictObject({
  level: levelSchema.optional().describe("scan depth (default: the config's, else standard)"),
  failOn: severitySchema.optional().describe("lowest severity that makes exitCode 1 (default: warning)"),
});
export type ScanOptionsBody = z.infer<typeof scanOptionsSchema>;

export const pathScanSchema = z.strictObject({
  paths: z
    .array(z.string().min(1).max(4096))
    .min(1)
    .max(100)
    .describe("absolute paths of files or folders under the server's allowed roots"),
  level: levelSchema.optional(),
  failOn: severitySchema.optional(),
});

export const uploadScanSchema = z.object({
  file: z
    .array(z.string().meta({ format: "binary" }))
    .describe("one or more files, scanned together as one model folder (e.g. every shard of a model)"),
  level: levelSchema.optional(),
  failOn: severitySchema.optional(),
});

export const scanIdSchema = z.strictObject({ id: z.uuid().describe("the scan id returned by POST /v1/scans") });

export const statusSchema = z.enum(SCAN_STATUSES as [string, ...string[]]);

export const listQuerySchema = z.strictObject({
  status: statusSchema.optional().describe("only scans in this state"),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe("page size (at most 500)"),
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
});

export const scanCreatedSchema = z.object({ id: z.uuid(), status: statusSchema });

export const scanSummarySchema = z.object({
  id: z.uuid(),
  status: statusSchema,
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  attempts: z.number().int().describe("times the scan was started (more than one after an interruption)"),
  error: z.string().nullable().describe("why a failed scan failed"),
  exitCode: z.number().int().nullable().describe("0 clean, 1 findings at or above failOn, 2 inconclusive"),
  inputs: z.array(z.string()).describe("uploaded file names, or the paths scanned"),
});

export const scanSchema = scanSummarySchema.extend({
  report: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("the versioned JSON report (packages/report/schema/report.schema.json) once done"),
});

export const scanListSchema = z.object({
  scans: z.array(scanSummarySchema),
  nextCursor: z.string().nullable(),
});

export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const pluginsSchema = z.object({ plugins: z.array(z.record(z.string(), z.unknown())) });

export const healthSchema = z.object({ status: z.literal("ok"), version: z.string() });

export const readySchema = z.object({
  status: z.enum(["ready", "not-ready"]),
  queue: z.enum(["embedded", "redis"]),
  running: z.number().int(),
  queued: z.number().int(),
});

export const sarifSchema = z.record(z.string(), z.unknown()).describe("SARIF 2.1.0 log");
