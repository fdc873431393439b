import { isRecord, type PersonalField } from "./personal-fields.js";
import type { Sighting } from "./pii-collector.js";

/** Facts further apart than this (in one source, without keys) do not belong to one record. */
const WINDOW_FACTS = 16;
/** Bound on open groups per artifact: hostile files with millions of paths must not exhaust memory. */
const MAX_GROUPS = 10_000;

interface Group {
  fields: Set<PersonalField>;
  lastAt: number;
  /** Where the record starts. */
  sighting: Sighting;
  done: boolean;
}

export interface CompletedRecord {
  fields: Set<PersonalField>;
  sighting: Sighting;
}

/**
 * Assembles records spread over several facts: the values of one JSON object (facts keyed
 * `rows[3].email`, `rows[3].phone` share the parent `rows[3]`), or the strings of a pickled dict,
 * which arrive one after another without keys (a sliding window per source).
 */
export class RecordTracker {
  private readonly groups = new Map<string, Group>();

  /** Adds fields seen in one fact; returns the record when this fact completes one. */
  observe(
    sourceKey: string,
    parentPath: string | undefined,
    at: number,
    fields: readonly PersonalField[],
    sighting: Sighting,
  ): CompletedRecord | undefined {
    if (fields.length === 0) return undefined;
    const key = `${sourceKey}\0${parentPath ?? "\u0001window"}`;
    let group = this.groups.get(key);
    if (group && parentPath === undefined && at - group.lastAt > WINDOW_FACTS) group = undefined;
    if (!group) {
      if (this.groups.size >= MAX_GROUPS) this.groups.clear();
      group = { fields: new Set(), lastAt: at, sighting, done: false };
      this.groups.set(key, group);
    }
    group.lastAt = at;
    if (group.done) return undefined;
    for (const field of fields) group.fields.add(field);
    if (!isRecord(group.fields)) return undefined;
    const completed: CompletedRecord = { fields: group.fields, sighting: group.sighting };
    // A keyed object is one record however many fields follow; a window starts afresh.
    if (parentPath !== undefined) group.done = true;
    else this.groups.delete(key);
    return completed;
  }
}

/** `customers[3].email` → `customers[3]`; undefined for a path with no parent. */
export function parentPath(path: string): string | undefined {
  const match = /^(.*?)(?:\.[^.[\]]+|\[(?:\d+|"(?:[^"\\]|\\.)*")\])$/.exec(path);
  return match && match[1] !== "" ? match[1] : undefined;
}
