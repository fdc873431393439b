import type { Location } from "@modelaudit/core";

/** "offset 42 (GLOBAL), path config.auto_map, line 3:7, stream 1": what a person needs to find the spot. */
export function describeLocation(location: Location | undefined): string {
  if (!location) return "";
  const parts: string[] = [];
  if (location.offset !== undefined) {
    parts.push(`offset ${location.offset}${location.opcode !== undefined ? ` (${location.opcode})` : ""}`);
  } else if (location.opcode !== undefined) {
    parts.push(`opcode ${location.opcode}`);
  }
  if (location.path !== undefined) parts.push(`path ${location.path}`);
  if (location.line !== undefined) {
    parts.push(`line ${location.line}${location.column !== undefined ? `:${location.column}` : ""}`);
  }
  if (location.stream !== undefined) parts.push(`stream ${location.stream}`);
  return parts.join(", ");
}

/** Archive members from the file down to the finding, as people read them. */
export function describeMemberChain(chain: readonly string[]): string {
  return chain.join(" > ");
}
