/**
 * Path patterns for `ignore`: `**` crosses directories, `*` and `?` stay within one segment.
 * A pattern without a slash matches a base name anywhere; with a slash it matches from the scan root.
 */
export function globToRegExp(pattern: string): RegExp {
  const normalized = pattern.replace(/\\/g, "/").replace(/^\.\//, "");
  let body = "";
  for (let index = 0; index < normalized.length; index++) {
    const char = normalized[index] as string;
    if (char === "*") {
      if (normalized[index + 1] === "*") {
        const slashAfter = normalized[index + 2] === "/";
        body += slashAfter ? "(?:.*/)?" : ".*";
        index += slashAfter ? 2 : 1;
      } else {
        body += "[^/]*";
      }
    } else if (char === "?") {
      body += "[^/]";
    } else {
      body += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  const anchored = normalized.includes("/") ? `^${body}(?:/.*)?$` : `(?:^|/)${body}(?:/.*)?$`;
  return new RegExp(anchored);
}

export function matchesAny(relativePath: string, patterns: readonly RegExp[]): boolean {
  const path = relativePath.replace(/\\/g, "/");
  return patterns.some((pattern) => pattern.test(path));
}
