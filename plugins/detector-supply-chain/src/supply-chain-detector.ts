import {
  type ArtifactSummary,
  type Detector,
  type DetectorContext,
  type Location,
  type Origin,
  ruleNames,
} from "@modelaudit/core";
import { buildDenyList } from "./deny-list.js";
import { pinsFor } from "./hash-pins.js";
import { knownHashDatabase } from "./hashdb/open-database.js";
import { judgeKnownHashes, judgePointerObject, type KnownHashLists } from "./known-hashes.js";
import { readOptions, type SupplyChainOptions } from "./options.js";
import hashMismatch from "./rules/hash-mismatch.js";
import knownMaliciousHash from "./rules/known-malicious-hash.js";
import lfsPointer from "./rules/lfs-pointer.js";

/** The fact convention of Git LFS pointers (format-huggingface's lfs-pointer handler, or any other). */
const LFS_REFERENCE_KEY = "git-lfs";
const LFS_SIZE_KEY = "git-lfs.size";
const LFS_TARGET = /^sha256:([0-9a-f]{64})$/;

interface Settings {
  options: SupplyChainOptions;
  denyList: ReadonlyMap<string, string>;
}

interface Pointer {
  origin: Origin;
  oid: string;
  size?: string;
  location?: Location;
}

// Options are the same object for every artifact of a scan: check them and build the deny list once.
const settingsCache = new WeakMap<object, Settings>();

function settingsFor(raw: Readonly<Record<string, unknown>>): Settings {
  let settings = settingsCache.get(raw);
  if (!settings) {
    const options = readOptions(raw);
    settings = { options, denyList: buildDenyList(options.denySha256) };
    settingsCache.set(raw, settings);
  }
  return settings;
}

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const SUPPLY_CHAIN_RULES = [lfsPointer, knownMaliciousHash, hashMismatch];

export const supplyChainDetector: Detector = {
  id: "supply-chain",
  description:
    "Judges the artifact as a whole: Git LFS pointers where a model should be, the SHA-256 of the file and of " +
    "every archive member against options.denySha256 and the known-hash database (options.hashdb), and pinned " +
    "digests (options.expectedSha256).",
  facts: ["reference", "text"],
  // Hash pins and known-hash lists judge the digests the engine hands over at finish.
  artifact: true,
  rules: ruleNames(SUPPLY_CHAIN_RULES),
  create(context) {
    const settings = settingsFor(context.options);
    const lists: KnownHashLists = { denyList: settings.denyList, database: undefined };
    let unavailable: string | undefined;
    if (settings.options.hashdb !== undefined) {
      const database = knownHashDatabase(settings.options.hashdb);
      if (database instanceof Error) unavailable = database.message;
      else lists.database = database;
    }
    // One entry per source (member chain) that is a pointer; its size arrives as a separate fact.
    const pointers = new Map<string, Pointer>();
    const pointerFor = (origin: Origin): Pointer | undefined => pointers.get(origin.memberChain.join("\0"));

    return {
      // Members are hashed only when there is something to look their digests up in.
      digestMembers: lists.denyList.size > 0 || settings.options.hashdb !== undefined,
      onFact(fact, origin) {
        if (fact.kind === "reference") {
          const match = fact.key === LFS_REFERENCE_KEY && fact.referenceKind === "path" && LFS_TARGET.exec(fact.target);
          if (!match) return;
          const chain = origin.memberChain.join("\0");
          const pointer: Pointer = { ...pointers.get(chain), origin, oid: match[1] as string };
          if (fact.location) pointer.location = fact.location;
          pointers.set(chain, pointer);
        } else if (fact.kind === "text" && fact.key === LFS_SIZE_KEY) {
          const chain = origin.memberChain.join("\0");
          pointers.set(chain, { ...(pointers.get(chain) ?? { origin, oid: "" }), size: fact.text });
        }
      },
      finish(artifact) {
        const top = topLevel(artifact);
        if (unavailable !== undefined) {
          // Fail closed: a scan told to check a database it cannot read is never clean.
          context.inconclusive(`the known-hash database could not be read: ${unavailable}`, top);
        }
        for (const pointer of pointers.values()) {
          if (pointer.oid === "") continue;
          judgePointer(context, pointer);
          judgePointerObject(context, lists, pointer);
        }
        judgeKnownHashes(context, lists, artifact);
        if (artifact.sha256 !== null) judgePins(context, settings, artifact, pointerFor(top));
      },
    };
  },
};

function topLevel(artifact: ArtifactSummary): Origin {
  return { file: artifact.file, memberChain: [], formats: artifact.formats };
}

function judgePointer(context: DetectorContext, pointer: Pointer): void {
  context.report({
    rule: "lfs-pointer",
    messageId: "lfsPointer",
    data: { oid: pointer.oid, size: pointer.size ?? "an unknown number of" },
    origin: pointer.origin,
    evidence: `sha256:${pointer.oid}`,
    ...(pointer.location ? { location: pointer.location } : {}),
  });
}

function judgePins(context: DetectorContext, settings: Settings, artifact: ArtifactSummary, pointer?: Pointer): void {
  const sha256 = artifact.sha256 as string;
  const origin = topLevel(artifact);
  for (const pin of pinsFor(artifact.file, settings.options.expectedSha256)) {
    if (pin.digests.includes(sha256)) continue;
    const expected = pin.digests.join(" or ");
    if (pointer) {
      // A checkout without `git lfs pull`: the pin cannot hold. Critical only when the pointer names
      // another object than the pinned one (the repository itself was changed).
      const pointsToPinned = pin.digests.includes(pointer.oid);
      context.report({
        rule: "hash-mismatch",
        messageId: pointsToPinned ? "pointerToPinned" : "pointerToOther",
        data: { pattern: pin.pattern, expected, oid: pointer.oid },
        origin,
        evidence: `sha256:${pointer.oid}`,
        ...(pointsToPinned && { severity: "warning" as const }),
      });
      continue;
    }
    context.report({
      rule: "hash-mismatch",
      messageId: "mismatch",
      data: { pattern: pin.pattern, expected, actual: sha256 },
      origin,
      evidence: sha256,
    });
  }
}
