import { type ArtifactSummary, type Detector, type Origin, ruleNames } from "@modelaudit/core";
import { knownHashDatabase } from "../hashdb/open-database.js";
import { readOptions } from "../options.js";
import knownMaliciousNearCopy from "../rules/known-malicious-near-copy.js";
import { SsdeepHasher } from "./ssdeep.js";

/**
 * Sources larger than this are not fuzzy-hashed. ssdeep runs over every byte in JavaScript (tens of
 * MB/s); known-bad samples a near-copy is worth finding for (pickles, scripts, the pickle inside a
 * checkpoint) are far smaller, and tensor data is not streamed at the standard level anyway.
 */
export const NEAR_COPY_MAX_BYTES = 4 * 1024 * 1024;
/** ssdeep scores below this are noise: unrelated files of one format share short runs. */
export const NEAR_COPY_MIN_SCORE = 50;
/** From this similarity on, a near-copy is as serious as the sample itself. */
const CRITICAL_SCORE = 90;

/** One source's fuzzy hash while its bytes stream; `digest` once they ended, unless a bound or a gap stopped it. */
interface SourceHash {
  origin: Origin;
  hasher?: SsdeepHasher;
  digest?: string;
  length: number;
  /** Not every byte arrived in order (skipped tensor data, a child streamed on its own) or too many did. */
  incomplete: boolean;
}

// Options are the same object for every artifact of a scan: read them once.
const hashdbOption = new WeakMap<object, { file: string | undefined }>();

function hashdbOf(options: Readonly<Record<string, unknown>>): string | undefined {
  let read = hashdbOption.get(options);
  if (!read) {
    read = { file: readOptions(options).hashdb };
    hashdbOption.set(options, read);
  }
  return read.file;
}

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const NEAR_COPY_RULES = [knownMaliciousNearCopy];

export const nearCopyDetector: Detector = {
  id: "near-copy",
  description:
    "Computes the ssdeep digest of every file and archive member whose bytes are all read (up to 4 MiB) and " +
    "compares it with the ssdeep digests the known-hash database (options.hashdb) holds for malicious files.",
  facts: [],
  bytes: true,
  levels: ["standard", "thorough"],
  rules: ruleNames(NEAR_COPY_RULES),
  create(context) {
    // The quick level reads heads only: no source is there in full.
    if (context.level === "quick") return {};
    const hashdb = hashdbOf(context.options);
    const database = hashdb === undefined ? undefined : knownHashDatabase(hashdb);
    // Without fuzzy digests to compare with, nothing is hashed (an unreadable database is reported
    // inconclusive by the supply-chain detector).
    if (database === undefined || database instanceof Error || !database.hasFuzzyDigests()) return {};

    const sources = new Map<string, SourceHash>();
    return {
      digestMembers: true,
      onBytes(chunk, offset, origin) {
        const key = origin.memberChain.join("\0");
        let source = sources.get(key);
        if (!source) {
          source = { origin, hasher: new SsdeepHasher(), length: 0, incomplete: offset !== 0 };
          sources.set(key, source);
        }
        if (source.incomplete || !source.hasher) return;
        if (offset !== source.length || source.length + chunk.length > NEAR_COPY_MAX_BYTES) {
          source.incomplete = true;
          source.hasher = undefined;
          return;
        }
        source.hasher.update(chunk);
        source.length += chunk.length;
      },
      onBytesEnd(origin) {
        const source = sources.get(origin.memberChain.join("\0"));
        if (!source?.hasher || source.incomplete) return;
        source.digest = source.hasher.digest();
        source.hasher = undefined;
      },
      finish(artifact) {
        const subjects = subjectsOf(artifact);
        for (const [key, source] of sources) {
          const subject = subjects.get(key);
          // Judged only when the stream held every byte of the source (none skipped at its end).
          if (source.digest === undefined || !subject || subject.size !== source.length) continue;
          // The best match only (the same file is left to the exact-digest rule): a feed with many
          // variants of one sample must not turn one file into a dozen findings.
          const match = database
            .nearCopies(source.digest, NEAR_COPY_MIN_SCORE)
            .find((candidate) => candidate.sha256 !== subject.sha256);
          if (match) {
            context.report({
              rule: "known-malicious-near-copy",
              messageId: "nearCopy",
              data: { what: subject.what, score: match.score, source: match.source, sha256: match.sha256 },
              origin: source.origin,
              evidence: `ssdeep ${source.digest} ~ ${match.ssdeep}`,
              ...(match.score >= CRITICAL_SCORE && { severity: "critical" as const }),
            });
          }
        }
      },
    };
  },
};

/** The file and its members by member chain, with their sizes and digests as the engine knows them. */
function subjectsOf(artifact: ArtifactSummary): Map<string, { size: number; sha256: string | null; what: string }> {
  const subjects = new Map<string, { size: number; sha256: string | null; what: string }>();
  subjects.set("", { size: artifact.size, sha256: artifact.sha256, what: "the file's" });
  for (const member of artifact.members ?? []) {
    subjects.set(member.memberChain.join("\0"), {
      size: member.size,
      sha256: member.sha256,
      what: `member ${member.memberChain.join(" > ")}'s`,
    });
  }
  return subjects;
}
