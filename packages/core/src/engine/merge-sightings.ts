import type { Finding } from "../findings.js";
import type { ActiveDetector } from "./fact-bus.js";

/** A finding about a value (a key, an address) held until the artifact ends. */
export interface Sighting {
  detector: ActiveDetector;
  finding: Finding;
  value: string;
  seenIn: "fact" | "bytes";
}

/**
 * One finding per value: a value a handler delivered as a fact is also in the raw bytes, where the
 * fact's location (a JSON path, a key) is the better one. Raw bytes may add or lose a neighbouring
 * character of a variable-length token, so containment counts as the same value. The same value in
 * the raw bytes of nested sources (an archive and its stored member) is kept at the innermost.
 */
export function mergeSightings(sightings: readonly Sighting[]): { detector: ActiveDetector; finding: Finding }[] {
  if (sightings.length === 0) return []; // most files: no maps built for nothing
  const factValues = new Map<string, Set<string>>();
  for (const sighting of sightings) {
    if (sighting.seenIn !== "fact") continue;
    const values = factValues.get(sighting.finding.ruleId) ?? new Set<string>();
    values.add(sighting.value);
    factValues.set(sighting.finding.ruleId, values);
  }
  const kept: Sighting[] = [];
  const innermost = new Map<string, Sighting>();
  for (const sighting of sightings) {
    if (sighting.seenIn === "fact") {
      kept.push(sighting);
      continue;
    }
    if (seenAsFact(factValues.get(sighting.finding.ruleId), sighting.value)) continue;
    const key = `${sighting.finding.ruleId}\0${sighting.value}`;
    const existing = innermost.get(key);
    if (!existing || existing.finding.memberChain.length < sighting.finding.memberChain.length) {
      innermost.set(key, sighting);
    }
  }
  const bytes = new Set(innermost.values());
  return [...kept, ...sightings.filter((sighting) => bytes.has(sighting))].map(({ detector, finding }) => ({
    detector,
    finding,
  }));
}

/** Containment counts only between values this long: a short value is inside too much. */
const MIN_CONTAINED = 8;

function seenAsFact(values: Set<string> | undefined, value: string): boolean {
  if (!values) return false;
  if (values.has(value)) return true;
  for (const known of values) {
    if (Math.min(known.length, value.length) < MIN_CONTAINED) continue;
    if (value.includes(known) || known.includes(value)) return true;
  }
  return false;
}
