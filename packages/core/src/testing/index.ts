import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Config, resolveConfig } from "../config.js";
import { buildRegistry } from "../engine/registry.js";
import { scan } from "../engine/scan.js";
import type { Fact, TensorFact } from "../facts.js";
import { DEFAULT_LIMITS } from "../limits.js";
import type { FormatHandler, ParseContext, Plugin, Preset, SniffInput } from "../plugin.js";
import type { Report } from "../report.js";
import { BufferSource, type Source } from "../source.js";

/** Scans files or directories with the given plugins and config; the report as the CLI would build it. */
export async function scanPaths(
  paths: readonly string[],
  plugins: readonly (Plugin | Preset)[],
  config: Config = {},
): Promise<Report> {
  return scan(paths, { registry: buildRegistry(plugins), config: resolveConfig(config), concurrency: 1 });
}

/** Writes bytes to a temporary file under `name` and scans it. */
export async function scanBytes(
  name: string,
  bytes: Uint8Array,
  plugins: readonly (Plugin | Preset)[],
  config: Config = {},
): Promise<Report> {
  const directory = await mkdtemp(path.join(tmpdir(), "modelaudit-test-"));
  try {
    const file = path.join(directory, name);
    await writeFile(file, bytes);
    return await scanPaths([file], plugins, config);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export interface ParsedFacts {
  facts: Fact[];
  formats: string[];
  inconclusive: string[];
  /** Nested sources the handlers asked to scan, with their member chains. */
  children: { chain: string[]; bytes: Uint8Array }[];
  /** Tensors declared with handler-decoded data (`emitTensor`), with the source of their bytes. */
  tensorSources: { fact: TensorFact; source: Source }[];
}

/**
 * Runs format handlers alone over bytes, recursing into children with the same handlers: for unit
 * tests of a format plugin without detectors.
 */
export async function parseWith(
  handlers: readonly FormatHandler[],
  name: string,
  bytes: Uint8Array,
  options: { maxDepth?: number } = {},
): Promise<ParsedFacts> {
  const result: ParsedFacts = { facts: [], formats: [], inconclusive: [], children: [], tensorSources: [] };
  const maxDepth = options.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  const visit = async (source: Source, chain: string[], parentFormats: string[]): Promise<void> => {
    const head = await source.read(0, 64 * 1024);
    const tail = await source.read(Math.max(0, source.size - (64 * 1024 + 22)), 64 * 1024 + 22);
    const base = path.basename(chain.at(-1) ?? name);
    const dot = base.lastIndexOf(".");
    const input: SniffInput = {
      head,
      tail,
      size: source.size,
      name: base,
      extension: dot > 0 ? base.slice(dot).toLowerCase() : "",
      parentFormats,
    };
    const formats: string[] = [];
    for (const handler of handlers) {
      const verdict = handler.sniff(input);
      if (!verdict) continue;
      if (verdict === true) {
        formats.push(handler.id);
        result.formats.push(handler.id);
      }
      const context: ParseContext = {
        source,
        file: name,
        memberChain: chain,
        limits: DEFAULT_LIMITS,
        level: "standard",
        emit: (fact) => result.facts.push(fact),
        emitTensor: (fact, data) => {
          result.facts.push(fact);
          result.tensorSources.push({ fact, source: data });
        },
        addFormat: (format) => result.formats.push(format),
        scanChild: async (childName, child) => {
          const childChain = [...chain, childName];
          if (childChain.length > maxDepth) {
            result.inconclusive.push(`${childChain.join(" > ")}: too deep`);
            return;
          }
          const bytes = await child.read(0, child.size);
          result.children.push({ chain: childChain, bytes });
          await visit(child, childChain, formats);
        },
        inconclusive: (reason) => result.inconclusive.push(reason),
        checkDeadline: () => undefined,
        chargeInflated: () => undefined,
      };
      await handler.parse(context);
    }
  };
  await visit(new BufferSource(name, bytes), [], []);
  return result;
}

export { picklescanCorpus } from "./corpus.js";
export {
  checkTensorFixture,
  compareDeclaredTensors,
  type ExpectedTensor,
  tensorFacts,
} from "./declared-tensors.js";
export { driveDetector, TEST_ORIGIN } from "./drive-detector.js";
export { type FactsDescription, factsBytes, factsHandler, factsPlugin } from "./facts-handler.js";
export { copyFixturesWithLinks, type FixtureLink } from "./linked-fixtures.js";
export { checkManifest } from "./manifest-check.js";
export { checkPluginExports } from "./plugin-exports.js";
export { type ProtobufField, protobufFields } from "./protobuf-fields.js";
export { mutateBytes, seededRandom, shuffled } from "./random.js";
