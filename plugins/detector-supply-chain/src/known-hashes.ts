import type { ArtifactSummary, DetectorContext, Location, Origin } from "@modelaudit/core";
import type { HashDatabase } from "./hashdb/hash-database.js";

/** What a digest is checked against: the deny list of the options and the known-hash database. */
export interface KnownHashLists {
  denyList: ReadonlyMap<string, string>;
  database: HashDatabase | undefined;
}

/** A digest to look up and where it came from. */
interface Subject {
  origin: Origin;
  sha256: string;
  /** "the file's" or "member a > b's", for messages. */
  what: string;
}

/** The file and every member the engine hashed, each looked up in the deny list and the database. */
export function judgeKnownHashes(context: DetectorContext, lists: KnownHashLists, artifact: ArtifactSummary): void {
  const subjects: Subject[] = [];
  const top: Origin = { file: artifact.file, memberChain: [], formats: artifact.formats };
  if (artifact.sha256 !== null) subjects.push({ origin: top, sha256: artifact.sha256, what: "the file's" });
  for (const member of artifact.members ?? []) {
    subjects.push({
      origin: { ...top, memberChain: [...member.memberChain] },
      sha256: member.sha256,
      what: `member ${member.memberChain.join(" > ")}'s`,
    });
  }
  for (const subject of subjects) judgeSubject(context, lists, subject);
}

function judgeSubject(context: DetectorContext, lists: KnownHashLists, { origin, sha256, what }: Subject): void {
  const reason = lists.denyList.get(sha256);
  if (reason !== undefined) {
    context.report({
      rule: "known-malicious-hash",
      messageId: "denied",
      data: { what, sha256, reason },
      origin,
      evidence: sha256,
    });
  }
  for (const known of lists.database?.lookup(sha256) ?? []) {
    if (known.verdict === "malicious") {
      context.report({
        rule: "known-malicious-hash",
        messageId: "knownMalicious",
        data: { what, sha256, source: known.source },
        origin,
        evidence: sha256,
      });
    } else {
      // A benign listing is recorded, never used to drop what other detectors found.
      context.note?.({
        rule: "known-malicious-hash",
        messageId: "knownBenign",
        data: { what, sha256, source: known.source },
      });
    }
  }
}

/** A Git LFS pointer names its object's digest: a listed object is caught before anyone pulls it. */
export function judgePointerObject(
  context: DetectorContext,
  lists: KnownHashLists,
  pointer: { origin: Origin; oid: string; location?: Location },
): void {
  const location = pointer.location ? { location: pointer.location } : {};
  const reason = lists.denyList.get(pointer.oid);
  if (reason !== undefined) {
    context.report({
      rule: "known-malicious-hash",
      messageId: "pointerToDenied",
      data: { sha256: pointer.oid, reason },
      origin: pointer.origin,
      evidence: `sha256:${pointer.oid}`,
      ...location,
    });
  }
  for (const known of lists.database?.lookup(pointer.oid) ?? []) {
    if (known.verdict !== "malicious") continue;
    context.report({
      rule: "known-malicious-hash",
      messageId: "pointerToKnownMalicious",
      data: { sha256: pointer.oid, source: known.source },
      origin: pointer.origin,
      evidence: `sha256:${pointer.oid}`,
      ...location,
    });
  }
}
