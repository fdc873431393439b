/**
 * Handlers for this detector's tests: the real archive and pickle plugins (dev dependencies) for
 * real fixtures, and core's JSON facts handler for synthetic archives that no tool writes.
 */
import { type AnomalyFact, definePreset, type EntryFact } from "@modelaudit/core";
import { type FactsDescription, factsBytes, factsPlugin } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import pickle from "@modelaudit/format-pickle";

/** A synthetic archive: its format labels, entry and anomaly facts, and nested members. */
export interface TestArchive {
  formats?: string[];
  entries?: Omit<EntryFact, "kind">[];
  anomalies?: { code: string; message: string; location?: { offset: number } }[];
  children?: { name: string; text?: string; archive?: TestArchive }[];
}

function describeArchive(archive: TestArchive): FactsDescription {
  const description: FactsDescription = {
    facts: [
      ...(archive.entries ?? []).map((entry): EntryFact => ({ kind: "entry", ...entry })),
      ...(archive.anomalies ?? []).map(
        (anomaly): AnomalyFact => ({ kind: "anomaly", ...anomaly, code: anomaly.code as AnomalyFact["code"] }),
      ),
    ],
    children: (archive.children ?? []).map((child) => ({
      name: child.name,
      ...(child.text !== undefined ? { text: child.text } : {}),
      ...(child.archive ? { description: describeArchive(child.archive) } : {}),
    })),
  };
  if (archive.formats) description.formats = archive.formats;
  return description;
}

export function testArchiveBytes(archive: TestArchive): Uint8Array {
  return factsBytes(describeArchive(archive));
}

export const testHandlers = definePreset({
  meta: { name: "test-handlers", version: "0.0.0" },
  plugins: [factsPlugin, archive, pickle],
});
