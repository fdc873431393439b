import { z } from "@modelaudit/core/options";

const hosts = (description: string) =>
  z
    .array(
      z.string().refine((entry) => entry.trim() !== "", {
        error: (issue) => `must be a host name or IP address, got ${JSON.stringify(issue.input)}`,
      }),
      { error: "must be an array of host names or IP addresses" },
    )
    .optional()
    .describe(description);

/** `options.network`, checked at start-up, so a typo'd blocklist is an error rather than ignored. */
export const optionsSchema = z.strictObject({
  blocklist: hosts("Hosts (and their subdomains) or IP addresses that are critical wherever they appear."),
  allowHosts: hosts("Hosts (and their subdomains) or IP addresses never reported: your own infrastructure."),
  documentationHosts: hosts("More documentation sites, reported as info at most."),
});
