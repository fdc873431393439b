import type {
  ArtifactSummary,
  CodeFact,
  Detector,
  DetectorContext,
  DetectorRun,
  EntryFact,
  Fact,
  Origin,
  PrintableString,
  ReportInput,
  TextFact,
} from "@modelaudit/core";
import { ruleNames } from "@modelaudit/core";
import { redact } from "@modelaudit/core/detector";
import { checksumFileAlgorithm, weakChecksumLines } from "./checksum-file.js";
import { isEncryptedFile, isKeyFile } from "./cipher-names.js";
import { judgeCiphers } from "./code-ciphers.js";
import { judgeRandomness } from "./code-randomness.js";
import { judgeConfigValue } from "./config-crypto.js";
import { type CryptoOptions, readOptions } from "./options.js";
import { judgeImport, PickleRandomness } from "./pickle-crypto.js";
import { readPython } from "./python-source.js";
import ecbMode from "./rules/ecb-mode.js";
import fixedSeed from "./rules/fixed-seed.js";
import hardCodedKey from "./rules/hard-coded-key.js";
import insecureRandom from "./rules/insecure-random.js";
import keyBesideEncryptedWeights from "./rules/key-beside-encrypted-weights.js";
import weakChecksum from "./rules/weak-checksum.js";
import { siblingNames } from "./sibling-files.js";
import { namesTrainingData, weakDigest } from "./weak-digest.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const CRYPTO_RULES = [weakChecksum, hardCodedKey, keyBesideEncryptedWeights, ecbMode, fixedSeed, insecureRandom];

/** A key file larger than this is not a key (a `.key` that is really something else). */
const MAX_KEY_FILE_BYTES = 64 * 1024;
/** Encrypted and key entries remembered per artifact. */
const MAX_NAMES = 1000;

const PYTHON_LIKE = new Set(["python", "torchscript"]);
const IV_MESSAGES = new Set(["hardCodedIv", "ivInConfig"]);

export const cryptoDetector: Detector = {
  id: "crypto",
  description:
    "Weak or missing cryptography around a model: MD5/SHA-1 integrity fields and checksum files, hard-coded keys " +
    "and IVs in code, configs and pickles, keys shipped beside encrypted weights, ECB modes, and fixed seeds or " +
    "non-cryptographic generators behind keys, tokens, nonces, salts and passwords.",
  facts: ["text", "code", "call", "import", "entry"],
  // Checksum sidecar files (MD5SUMS) are text no handler claims: their content comes as printable strings.
  strings: true,
  rules: ruleNames(CRYPTO_RULES),
  create(context: DetectorContext): DetectorRun {
    return new CryptoRun(context, readOptions(context.options));
  },
};

interface PendingKey {
  input: ReportInput;
}

class CryptoRun implements DetectorRun {
  private readonly reported = new Map<string, number>();
  private readonly overflow = new Map<string, { count: number; origin: Origin }>();
  private readonly seen = new Set<string>();
  /** Hard-coded keys, graded at finish by whether encrypted weights travel with them. */
  private readonly pendingKeys: PendingKey[] = [];
  private readonly encryptedNames = new Set<string>();
  private readonly keyEntries: { name: string; origin: Origin; size: number }[] = [];
  private readonly pickles = new PickleRandomness();
  private pickleOrigin: Origin | undefined;

  constructor(
    private readonly context: DetectorContext,
    private readonly options: CryptoOptions,
  ) {}

  onFact(fact: Fact, origin: Origin): void {
    switch (fact.kind) {
      case "text":
        this.onText(fact, origin);
        break;
      case "code":
        if (PYTHON_LIKE.has(fact.language)) this.onCode(fact, origin);
        break;
      case "call": {
        this.pickleOrigin ??= origin;
        const stream = `${origin.memberChain.join("\0")}#${fact.location?.stream ?? 0}`;
        for (const verdict of this.pickles.judgeCall(fact, stream)) {
          const input: ReportInput = { ...verdict, origin, ...(fact.location && { location: fact.location }) };
          if (verdict.rule === "hard-coded-key") this.pendingKeys.push({ input });
          else this.report(input);
        }
        break;
      }
      case "import": {
        const verdict = judgeImport(fact);
        if (verdict) this.report({ ...verdict, origin, ...(fact.location && { location: fact.location }) });
        break;
      }
      case "entry":
        this.onEntry(fact, origin);
        break;
      default:
        break;
    }
  }

  onString(run: PrintableString, origin: Origin): void {
    const name = origin.memberChain.at(-1) ?? origin.file;
    const algorithm = checksumFileAlgorithm(name);
    if (!algorithm) return;
    for (const line of weakChecksumLines(run.text, algorithm)) {
      this.report({
        rule: "weak-checksum",
        messageId: "checksumFile",
        data: { file: line.file, algorithm: line.algorithm },
        origin,
        location: { path: line.file, ...(run.offset === 0 && { line: line.line }), offset: run.offset },
        evidence: `${line.digest}  ${line.file}`,
      });
    }
  }

  finish(artifact: ArtifactSummary): void {
    const top: Origin = { file: artifact.file, memberChain: [], formats: artifact.formats };
    // A key file scanned on its own: the encrypted weights it opens may sit in the same folder.
    if (this.options.checkSiblings && isKeyFile(artifact.file) && artifact.size <= MAX_KEY_FILE_BYTES) {
      const encrypted = siblingNames(artifact.file).filter(isEncryptedFile);
      if (encrypted.length > 0) {
        this.report({
          rule: "key-beside-encrypted-weights",
          messageId: "keyFileBeside",
          data: { key: baseName(artifact.file), encrypted: listNames(encrypted), where: "folder" },
          origin: top,
          evidence: `${baseName(artifact.file)} (${artifact.size} bytes) beside ${listNames(encrypted)}`,
        });
      }
    }
    const encrypted = [...this.encryptedNames];
    // Keys inside an archive beside encrypted members.
    if (encrypted.length > 0) {
      for (const key of this.keyEntries) {
        if (key.size > MAX_KEY_FILE_BYTES) continue;
        this.report({
          rule: "key-beside-encrypted-weights",
          messageId: "keyFileBeside",
          data: { key: key.name, encrypted: listNames(encrypted), where: "archive" },
          origin: key.origin,
          location: { path: key.name },
          evidence: `${key.name} (${key.size} bytes) beside ${listNames(encrypted)}`,
        });
      }
    }
    for (const { input } of this.pendingKeys) {
      // An IV is not secret; a key that travels with the weights it encrypts protects nothing.
      if (encrypted.length > 0 && !IV_MESSAGES.has(input.messageId)) {
        this.report({
          ...input,
          rule: "key-beside-encrypted-weights",
          messageId: "keyWithEncryptedWeights",
          data: {
            what: String(input.data?.call ?? input.data?.key ?? "a key"),
            bytes: input.data?.bytes ?? 0,
            encrypted: listNames(encrypted),
          },
        });
      } else {
        this.report(input);
      }
    }
    for (const verdict of this.pickles.unusedSeeds()) {
      this.report({ ...verdict, origin: this.pickleOrigin ?? top });
    }
    for (const [rule, { count, origin }] of this.overflow) {
      this.context.report({ rule, messageId: "more", data: { count }, origin });
    }
    this.overflow.clear();
  }

  private onText(fact: TextFact, origin: Origin): void {
    if (fact.role === "vocabulary" || fact.key === undefined) return;
    const location = fact.location ?? { path: fact.key };
    const weak = weakDigest(fact.key, fact.text);
    if (weak) {
      // A digest of the training data is provenance, not a check of the model: a note.
      const data = namesTrainingData(fact.key);
      this.report({
        rule: "weak-checksum",
        messageId: data ? "dataChecksum" : "weakChecksum",
        ...(data && { severity: "info" as const }),
        data: { key: fact.key, algorithm: weak.algorithm },
        origin,
        location,
        evidence: weak.value.slice(0, 100),
      });
      return;
    }
    const verdict = judgeConfigValue(fact.key, fact.text);
    if (!verdict) return;
    if (verdict.kind === "encrypted-file") {
      this.rememberEncrypted(verdict.name);
    } else if (verdict.kind === "ecb") {
      this.report({
        rule: "ecb-mode",
        messageId: "ecbInConfig",
        data: { key: fact.key, mode: verdict.name },
        origin,
        location,
        evidence: `${fact.key}: ${verdict.name}`,
      });
    } else {
      this.pendingKeys.push({
        input: {
          rule: "hard-coded-key",
          messageId: verdict.field === "iv" ? "ivInConfig" : "keyInConfig",
          data: { key: fact.key, bytes: verdict.bytes },
          origin,
          location,
          evidence: `${fact.key}: ${redact(fact.text.trim(), 2)} (${verdict.bytes} bytes)`,
          // A fixed IV is a weakness; a key in the open is the secret itself.
          ...(verdict.field === "iv" && { confidence: 0.7 }),
        },
      });
    }
  }

  private onCode(fact: CodeFact, origin: Origin): void {
    const source = readPython(fact.text);
    if (source.truncated) {
      this.context.inconclusive(
        `${fact.location?.path ?? "code"}: only the first ${source.statements.length} statements of a very large source were checked for cryptography`,
        origin,
      );
    }
    const path = fact.location?.path;
    for (const literal of fact.text.slice(0, 1 << 22).matchAll(/["']([^"'\s]{1,200})["']/g)) {
      if (isEncryptedFile(literal[1] as string)) this.rememberEncrypted(literal[1] as string);
    }
    for (const verdict of judgeCiphers(source)) {
      const input: ReportInput = {
        rule: verdict.rule,
        messageId: verdict.messageId,
        data: verdict.data,
        origin,
        location: { ...(path !== undefined && { path }), line: verdict.line },
        evidence: verdict.evidence,
      };
      if (verdict.rule === "hard-coded-key") this.pendingKeys.push({ input });
      else this.report(input);
    }
    for (const verdict of judgeRandomness(source)) {
      this.report({
        rule: verdict.rule,
        messageId: verdict.messageId,
        data: verdict.data,
        origin,
        location: { ...(path !== undefined && { path }), line: verdict.line },
        evidence: verdict.evidence,
      });
    }
  }

  private onEntry(fact: EntryFact, origin: Origin): void {
    if (fact.type !== "file") return;
    if (isEncryptedFile(fact.name)) this.rememberEncrypted(fact.name);
    else if (isKeyFile(fact.name) && this.keyEntries.length < MAX_NAMES) {
      this.keyEntries.push({ name: fact.name, origin, size: fact.size });
    }
  }

  private rememberEncrypted(name: string): void {
    if (this.encryptedNames.size < MAX_NAMES) this.encryptedNames.add(name);
  }

  /** Reports once per rule, place and evidence; past the per-rule bound, counts for one `more` finding. */
  private report(input: ReportInput): void {
    const identity = `${input.rule}\0${input.origin.memberChain.join("\0")}\0${JSON.stringify(input.location ?? {})}\0${input.evidence ?? ""}`;
    if (this.seen.has(identity)) return;
    this.seen.add(identity);
    const count = (this.reported.get(input.rule) ?? 0) + 1;
    this.reported.set(input.rule, count);
    if (count > this.options.maxFindingsPerRule) {
      const overflow = this.overflow.get(input.rule) ?? { count: 0, origin: input.origin };
      overflow.count++;
      this.overflow.set(input.rule, overflow);
      return;
    }
    this.context.report(input);
  }
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
}

/** A few names for a message, with how many more there are. */
function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(", ");
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}
