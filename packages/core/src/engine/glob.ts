import picomatch from "picomatch";

/**
 * Path patterns (picomatch syntax: `*`, `?`, `**`, `[abc]`, `{a,b}`), matched against a path relative
 * to a root with `/` separators. As in .gitignore, a pattern without a slash matches a base name at any
 * depth; a pattern with a slash is matched from the root (a leading `./` only says so). `*` and `**`
 * match names that start with a dot too: `tests/**` must leave nothing under tests/ in.
 */
export function globMatcher(pattern: string): (relativePath: string) => boolean {
  const anchored = pattern.replace(/^\.\//, "");
  const byBaseName = !anchored.includes("/");
  const isMatch = picomatch(anchored, { dot: true });
  return (relativePath) => {
    const normalized = relativePath.replace(/\\/g, "/");
    return isMatch(byBaseName ? normalized.slice(normalized.lastIndexOf("/") + 1) : normalized);
  };
}

/**
 * The `ignore` list: a path is ignored when a pattern matches it and no later `!pattern` matches it
 * again (gitignore's order). A directory that is ignored is not entered, so a `!` pattern cannot bring
 * back a file below it: write `dir/*` with `!dir/keep.pkl` (`dir/**` matches `dir` itself). Paths are
 * relative, so a leading `/` means the scan root, as in .gitignore.
 */
export function ignoreMatcher(patterns: readonly string[]): (relativePath: string) => string | undefined {
  const compiled = patterns.map((pattern) => {
    const negated = pattern.startsWith("!");
    const body = negated ? pattern.slice(1) : pattern;
    return { pattern, negated, matches: globMatcher(body.startsWith("/") ? body.slice(1) : body) };
  });
  return (relativePath) => {
    let ignoredBy: string | undefined;
    for (const { pattern, negated, matches } of compiled) {
      if (negated ? ignoredBy !== undefined && matches(relativePath) : matches(relativePath)) {
        ignoredBy = negated ? undefined : pattern;
      }
    }
    return ignoredBy;
  };
}
