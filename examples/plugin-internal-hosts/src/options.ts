/** `options.internal-hosts` in modelaudit.config.json. */
export interface InternalHostsOptions {
  /** Your organisation's own domains (`corp.example.com`), internal in addition to the private-use suffixes. */
  domains?: string[];
}

/** The suffixes to look for: the private-use ones and the configured domains, lower-case. */
export function suffixesFrom(options: Readonly<Record<string, unknown>>, builtIn: readonly string[]): string[] {
  const domains = (options.domains as string[] | undefined) ?? [];
  return [...new Set([...builtIn, ...domains.map((domain) => domain.toLowerCase())])];
}
