/** Longest file name kept, in UTF-8 bytes (the usual file-system limit). */
const MAX_NAME_BYTES = 255;

/** C0/C1 controls, and the bidirectional formatting characters that can make a report lie about a name. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Whether a client-supplied name holds a character that could spoof how it prints. */
export function hasUnsafeCharacters(name: string): boolean {
  return UNSAFE_CHARACTERS.test(name);
}

/**
 * The name an uploaded file is stored and reported under: only its last path segment (either
 * separator), never `.` or `..`, no control or bidirectional characters. Returns undefined for a
 * name to reject.
 */
export function sanitizeFileName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const baseName = name.split(/[/\\]/).at(-1) ?? "";
  if (baseName === "" || baseName === "." || baseName === "..") return undefined;
  if (UNSAFE_CHARACTERS.test(baseName)) return undefined;
  if (Buffer.byteLength(baseName, "utf8") > MAX_NAME_BYTES) return undefined;
  return baseName;
}
