// Only the engine's check of a config that sets `options.internal-hosts` (and the config's JSON Schema)
// imports this module, through the plugin's `optionsSchema` loader: a scan without options never loads zod.
import { expected, z } from "@modelaudit/core/options";

const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const domain = expected("a domain name such as corp.example.com");

/**
 * The options' schema: the engine checks `options.internal-hosts` against it at start-up (each problem
 * with its key path) and the config's JSON Schema can describe the keys from it. `strictObject` makes
 * an unknown key (`domain` for `domains`) an error instead of a silently ignored option.
 */
export const optionsSchema = z.strictObject({
  domains: z
    .array(z.string({ error: domain }).regex(DOMAIN, { error: domain }), {
      error: "expected an array of domain names",
    })
    .optional()
    .describe("Your organisation's own domains, internal in addition to the private-use suffixes."),
});
