import { parseSsdeep } from "../fuzzy/ssdeep.js";
import { normalizeDigest } from "../options.js";

/** What a feed says about one SHA-256: known malicious or known benign, and who says so. */
export interface FeedEntry {
  sha256: string;
  verdict: "malicious" | "benign";
  source: string;
  /** The file's ssdeep digest, when the feed gives one: near-copies of a malicious file are recognised by it. */
  ssdeep?: string;
}

export class FeedError extends Error {
  override name = "FeedError";
}

/** Feeds larger than this are refused: a feed is a list of digests, not a model. */
export const MAX_FEED_BYTES = 256 * 1024 * 1024;
const MAX_SOURCE_LENGTH = 1000;
const HEADER = ["sha256", "verdict", "source"];
/** The optional fourth column (CSV) or field (JSON). */
const FUZZY_COLUMN = "ssdeep";

/**
 * Reads a feed: CSV whose first line is exactly `sha256,verdict,source` or
 * `sha256,verdict,source,ssdeep` (RFC 4180 quoting, so a source may hold commas; an empty ssdeep
 * cell is allowed), or a JSON array of `{ sha256, verdict, source, ssdeep? }`. Every malformed row is
 * an error naming its line or index: a feed that half-imports would silently miss indicators.
 */
export function parseFeed(text: string, name = "feed"): FeedEntry[] {
  if (text.length > MAX_FEED_BYTES) throw new FeedError(`${name}: larger than ${MAX_FEED_BYTES} bytes`);
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  return trimmed.startsWith("[") ? parseJsonFeed(trimmed, name) : parseCsvFeed(trimmed, name);
}

function parseJsonFeed(text: string, name: string): FeedEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FeedError(`${name}: not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new FeedError(`${name}: expected a JSON array of { sha256, verdict, source }`);
  return value.map((item: unknown, index) => {
    const where = `${name}[${index}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new FeedError(`${where}: expected an object { sha256, verdict, source }`);
    }
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!HEADER.includes(key) && key !== FUZZY_COLUMN) throw new FeedError(`${where}: unknown field "${key}"`);
    }
    return entry(record.sha256, record.verdict, record.source, record.ssdeep, where);
  });
}

function parseCsvFeed(text: string, name: string): FeedEntry[] {
  const rows = csvRows(text, name);
  const header = rows.shift()?.fields.map((field) => field.trim().toLowerCase());
  const columns = header?.length === HEADER.length + 1 && header[HEADER.length] === FUZZY_COLUMN ? 4 : 3;
  if (!header || header.slice(0, 3).join(",") !== HEADER.join(",") || header.length !== columns) {
    throw new FeedError(
      `${name}: the first line must be the header ${HEADER.join(",")} (or ${[...HEADER, FUZZY_COLUMN].join(",")})`,
    );
  }
  return rows
    .filter((row) => !(row.fields.length === 1 && row.fields[0]?.trim() === ""))
    .map((row) => {
      const where = `${name}:${row.line}`;
      if (row.fields.length !== columns) {
        throw new FeedError(`${where}: expected ${columns} fields, got ${row.fields.length}`);
      }
      const [sha256, verdict, source, fuzzy] = row.fields;
      const digest = fuzzy?.trim() ? fuzzy.trim() : undefined;
      return entry(sha256, verdict?.trim(), source?.trim(), digest, where);
    });
}

function entry(sha256: unknown, verdict: unknown, source: unknown, fuzzy: unknown, where: string): FeedEntry {
  const digest = normalizeDigest(sha256);
  if (!digest) throw new FeedError(`${where}: sha256 must be a 64-hex SHA-256 digest, got ${JSON.stringify(sha256)}`);
  if (verdict !== "malicious" && verdict !== "benign") {
    throw new FeedError(`${where}: verdict must be malicious or benign, got ${JSON.stringify(verdict)}`);
  }
  if (typeof source !== "string" || source.trim() === "" || source.length > MAX_SOURCE_LENGTH) {
    throw new FeedError(`${where}: source must be a non-empty string of at most ${MAX_SOURCE_LENGTH} characters`);
  }
  const read: FeedEntry = { sha256: digest, verdict, source: source.trim() };
  if (fuzzy !== undefined && fuzzy !== null) {
    if (typeof fuzzy !== "string" || !parseSsdeep(fuzzy)) {
      throw new FeedError(
        `${where}: ssdeep must be a digest blocksize:part1:part2 as ssdeep prints it, got ${JSON.stringify(fuzzy)}`,
      );
    }
    read.ssdeep = fuzzy;
  }
  return read;
}

/** RFC 4180 records with the line each starts on; quoted fields may hold commas, quotes ("") and newlines. */
function csvRows(text: string, name: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === "\n") line++;
        field += char;
      }
    } else if (char === '"' && field === "") {
      quoted = true;
    } else if (char === ",") {
      fields.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index++;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = "";
      line++;
      rowLine = line;
    } else {
      field += char;
    }
  }
  if (quoted) throw new FeedError(`${name}:${rowLine}: a quoted field is not closed`);
  if (field !== "" || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
}
