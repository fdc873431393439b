/**
 * The segments of a repository file name when it is safe to create under the download directory:
 * relative, no `.` or `..`, no empty segments, no backslashes, NULs or control characters, each
 * segment at most 255 bytes. Anything else is refused rather than repaired: listings are hostile.
 */
export function safeRelativePath(name: string): string[] | undefined {
  if (name.length === 0 || name.length > 4096) return undefined;
  if (/[\\\u0000-\u001f\u007f]/.test(name)) return undefined;
  const segments = name.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") return undefined;
    if (Buffer.byteLength(segment) > 255) return undefined;
  }
  return segments;
}
