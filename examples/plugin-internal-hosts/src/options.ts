import { unknownOptions } from "@modelaudit/core/detector";

/** `options.internal-hosts` in modelaudit.config.json. */
export interface InternalHostsOptions {
  /** Your organisation's own domains (`corp.example.com`), internal in addition to the private-use suffixes. */
  domains?: string[];
}

const KNOWN = ["domains"];
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** One problem per bad value, each starting with its key path (the engine adds `options.internal-hosts.`). */
export function validateOptions(options: Readonly<Record<string, unknown>>): string[] {
  const problems = unknownOptions(options, KNOWN);
  const { domains } = options;
  if (domains === undefined) return problems;
  if (!Array.isArray(domains)) return [...problems, "domains: expected an array of domain names"];
  for (const [index, domain] of domains.entries()) {
    if (typeof domain !== "string" || !DOMAIN.test(domain)) {
      problems.push(
        `domains[${index}]: expected a domain name such as corp.example.com, got ${JSON.stringify(domain)}`,
      );
    }
  }
  return problems;
}

/** The suffixes to look for: the private-use ones and the configured domains, lower-case. */
export function suffixesFrom(options: Readonly<Record<string, unknown>>, builtIn: readonly string[]): string[] {
  const domains = (options.domains as string[] | undefined) ?? [];
  return [...new Set([...builtIn, ...domains.map((domain) => domain.toLowerCase())])];
}
