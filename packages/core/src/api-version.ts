/**
 * The plugin contract's version. A plugin writes the version it was built for as a literal
 * (`apiVersion: 1`), never as core's constant: a plugin bundles nothing of core, so reading the
 * constant would read the host core's value at run time and the check could never fail.
 */
export const API_VERSION = 1;

/** The contract versions this core can load. */
export const SUPPORTED_API_VERSIONS: readonly number[] = [API_VERSION];

/**
 * Why this core cannot load a plugin declaring `apiVersion`, naming the plugin's version and the
 * core's; undefined when it can.
 */
export function apiVersionProblem(plugin: { meta?: { name?: string; version?: string }; apiVersion?: unknown }) {
  const { apiVersion } = plugin;
  if (typeof apiVersion === "number" && SUPPORTED_API_VERSIONS.includes(apiVersion)) return undefined;
  const name = plugin.meta?.name ?? "<unnamed plugin>";
  const label = plugin.meta?.version ? `${name}@${plugin.meta.version}` : name;
  const core = `@modelaudit/core@${__PACKAGE_VERSION__} supports plugin API ${SUPPORTED_API_VERSIONS.join(", ")}`;
  if (typeof apiVersion !== "number" || !Number.isInteger(apiVersion)) {
    return `${label} declares no plugin API version (apiVersion: ${String(apiVersion)}); ${core}`;
  }
  const advice =
    apiVersion > API_VERSION
      ? "upgrade @modelaudit/core (or the CLI that bundles it)"
      : `upgrade ${name} to a version built for plugin API ${API_VERSION}`;
  return `${label} is built for plugin API ${apiVersion}; ${core}: ${advice}`;
}
