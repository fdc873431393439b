/** Longest file name kept, in UTF-8 bytes (the usual file-system limit). */
const MAX_NAME_BYTES = 255;

/**
 * The name an uploaded file is stored and reported under: only its last path segment (either
 * separator), never `.` or `..`, no control characters. Returns undefined for a name to reject.
 */
export function sanitizeFileName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const baseName = name.split(/[/\\]/).at(-1) ?? "";
  if (baseName === "" || baseName === "." || baseName === "..") return undefined;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(baseName)) return undefined;
  if (Buffer.byteLength(baseName, "utf8") > MAX_NAME_BYTES) return undefined;
  return baseName;
}

/** Makes report names unique within one upload: `model.pkl`, `model.pkl (2)`, ... */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let count = 2; taken.has(unique); count++) unique = `${name} (${count})`;
    taken.add(unique);
    return unique;
  });
}
