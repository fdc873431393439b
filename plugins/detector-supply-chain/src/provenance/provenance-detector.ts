import { type Detector, type DetectorContext, type Location, type Origin, ruleNames } from "@modelaudit/core";
import { readOptions } from "../options.js";
import lineage from "../rules/lineage.js";
import lookalikeRepository from "../rules/lookalike-repository.js";
import provenance from "../rules/provenance.js";
import unpinnedRevision from "../rules/unpinned-revision.js";
import untrustedSource from "../rules/untrusted-source.js";
import { findLookalike, type LookalikeKind } from "./lookalike.js";
import { isTrusted, type ProvenanceOptions } from "./options.js";
import { KNOWN_NAMESPACES, POPULAR_ORGS } from "./popular-orgs.js";
import { formatRepoId, isCommit, type RepoId, repoIdFromCachePath, repoIdFromText, repoIdFromUrl } from "./repo-id.js";

/**
 * Where a repository id was read, and what it says: the model's own repository (`own`: a cache folder,
 * a git remote), its base (`base`: `base_model`), or a name it was saved under (`name`: `_name_or_path`,
 * which is often a local directory, so it is only checked for look-alikes, never against the trusted list).
 */
type Role = "own" | "base" | "name";

interface Sighting {
  id: RepoId;
  role: Role;
  /** Shown in messages: where the id was read. */
  source: string;
  origin: Origin;
  location?: Location;
}

/** Text facts whose value is a repository id, by key, with their role and how they are shown. */
const ID_KEYS = new Map<string, { role: Role; source: string }>(
  Object.entries({
    _name_or_path: { role: "name", source: "config _name_or_path" },
    name_or_path: { role: "name", source: "tokenizer config name_or_path" },
    base_model_name_or_path: { role: "base", source: "adapter config base_model_name_or_path" },
    base_model: { role: "base", source: "config base_model" },
    "front-matter.base_model": { role: "base", source: "model card base_model" },
  } satisfies Record<string, { role: Role; source: string }>),
);

/** A `.git/config` file at the top level of the scan: its remotes name the repository the checkout came from. */
const GIT_CONFIG_PATH = /(?:^|[\\/])\.git[\\/]config$/;
/** A git config larger than this is not read further (real ones are a few hundred bytes). */
const MAX_GIT_CONFIG_TEXT = 64 * 1024;
const MAX_SIGHTINGS = 64;

const HOW: Record<LookalikeKind, string> = {
  script: "letters from another script that look Latin",
  separators: "the same letters with other separators",
  confusable: "look-alike characters such as 0/o, 1/l, rn/m or a doubled letter",
  edit: "one character added, dropped, changed or swapped",
};

const optionsCache = new WeakMap<object, ProvenanceOptions>();

function optionsFor(raw: Readonly<Record<string, unknown>>): ProvenanceOptions {
  let options = optionsCache.get(raw);
  if (!options) {
    options = readOptions(raw).provenance;
    optionsCache.set(raw, options);
  }
  return options;
}

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const PROVENANCE_RULES = [lookalikeRepository, untrustedSource, unpinnedRevision, provenance, lineage];

export const provenanceDetector: Detector = {
  id: "provenance",
  description:
    "Where the model says it came from: the repository of a Hugging Face cache folder in its path, a git remote, " +
    "`_name_or_path` and `base_model` in configs and model cards. Repositories are checked for look-alikes of " +
    "popular namespaces (typosquatting) and against options.provenance.trusted; a revision that is not a commit is " +
    "noted, and the repository and base models are recorded as notes on the passed provenance and lineage checks. Trust never lowers another finding.",
  facts: ["text"],
  strings: true,
  // The path alone names a cache repository: judged at finish for every file.
  artifact: true,
  rules: ruleNames(PROVENANCE_RULES),
  create(context) {
    const options = optionsFor(context.options);
    const sightings: Sighting[] = [];
    let gitConfig = "";
    let gitOrigin: Origin | undefined;
    const gitConfigs = new WeakMap<Origin, boolean>();
    const add = (sighting: Sighting) => {
      if (sightings.length < MAX_SIGHTINGS) sightings.push(sighting);
    };

    return {
      onFact(fact, origin) {
        if (fact.kind !== "text" || fact.key === undefined) return;
        // A list (`base_model: ["a/b", "c/d"]` in a config) names one id per item.
        const known = ID_KEYS.get(fact.key.replace(/\[\d+\]$/, ""));
        if (!known) return;
        const id = repoIdFromText(fact.text);
        if (id) add({ id, ...known, origin, ...(fact.location && { location: fact.location }) });
      },
      onString(run, origin) {
        // Decided once per source: strings arrive for every source, most of them weights.
        let isGitConfig = gitConfigs.get(origin);
        if (isGitConfig === undefined) {
          isGitConfig = origin.memberChain.length === 0 && GIT_CONFIG_PATH.test(origin.file);
          gitConfigs.set(origin, isGitConfig);
        }
        if (!isGitConfig) return;
        if (gitConfig.length < MAX_GIT_CONFIG_TEXT) gitConfig += `${run.text.slice(0, MAX_GIT_CONFIG_TEXT)}\n`;
        gitOrigin = origin;
      },
      finish(artifact) {
        const top: Origin = { file: artifact.file, memberChain: [], formats: artifact.formats };
        const cached = repoIdFromCachePath(artifact.file);
        if (cached) add({ id: cached, role: "own", source: "Hugging Face cache folder", origin: top });
        if (gitOrigin) {
          for (const remote of gitRemotes(gitConfig)) {
            const id = repoIdFromUrl(remote.url);
            if (id) add({ id, role: "own", source: `git remote ${remote.name}`, origin: gitOrigin });
          }
        }
        judge(context, options, sightings);
      },
    };
  },
};

/** `[remote "name"]` sections and their `url = …` lines. */
export function gitRemotes(text: string): { name: string; url: string }[] {
  const remotes: { name: string; url: string }[] = [];
  let section: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\s*remote\s+"([^"]{1,200})"\s*\]/.exec(line);
    if (header) {
      section = header[1] as string;
      continue;
    }
    if (/^\s*\[/.test(line)) {
      section = null;
      continue;
    }
    const url = /^\s*url\s*=\s*(\S{1,2048})\s*$/.exec(line);
    if (section !== null && url) remotes.push({ name: section, url: url[1] as string });
  }
  return remotes;
}

/** The namespaces look-alikes are checked against, per options object (built once, not per file). */
const namesByOptions = new WeakMap<ProvenanceOptions, { protectedNames: string[]; knownNames: string[] }>();

function namesFor(options: ProvenanceOptions): { protectedNames: string[]; knownNames: string[] } {
  let names = namesByOptions.get(options);
  if (!names) {
    // The namespaces the user trusts are what an attacker would imitate too: protected as well as known.
    const trustedOrgs = options.trusted
      .map((source) => source.pattern.split("/")[0] as string)
      .filter((org) => !org.includes("*"));
    names = {
      protectedNames: [...new Set([...POPULAR_ORGS, ...options.protect, ...trustedOrgs])],
      knownNames: [...KNOWN_NAMESPACES, ...trustedOrgs],
    };
    namesByOptions.set(options, names);
  }
  return names;
}

function judge(context: DetectorContext, options: ProvenanceOptions, sightings: readonly Sighting[]): void {
  // Most files name no repository: nothing to build or walk.
  if (sightings.length === 0) return;
  const { protectedNames, knownNames } = namesFor(options);
  const seen = new Set<string>();
  for (const sighting of sightings) {
    const { id, role, source, origin } = sighting;
    const repository = formatRepoId(id);
    const key = `${repository}\0${source}\0${origin.memberChain.join("\0")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const where = sighting.location ? { location: sighting.location } : {};
    const data = { repository, source };

    // Records, not findings: notes on the passed check, in the report and the SBOM (supplier, pedigree).
    if (role === "own")
      context.note?.({
        rule: "provenance",
        messageId: "repository",
        data: { ...data, url: `${id.host}/${repository}` },
      });
    if (role === "base")
      context.note?.({ rule: "lineage", messageId: "baseModel", data: { ...data, url: `${id.host}/${repository}` } });
    const lookalike = id.org === "" ? null : findLookalike(id.org, protectedNames, knownNames);
    if (lookalike) {
      context.report({
        rule: "lookalike-repository",
        messageId: "lookalike",
        data: { ...data, target: lookalike.target, how: HOW[lookalike.kind] },
        origin,
        evidence: repository,
        // Letters of another script or 0/1-for-o/l in a namespace are never an accident.
        confidence: lookalike.kind === "edit" ? 0.6 : 0.9,
        ...where,
      });
    }
    if (role !== "name" && options.trusted.length > 0 && !isTrusted(id.org, id.name, options.trusted)) {
      context.report({
        rule: "untrusted-source",
        messageId: "untrusted",
        data,
        origin,
        evidence: repository,
        ...where,
      });
    }
    if (id.revision !== undefined && !isCommit(id.revision)) {
      context.report({
        rule: "unpinned-revision",
        messageId: "unpinned",
        data: { ...data, revision: id.revision },
        origin,
        evidence: repository,
        ...where,
      });
    }
  }
}
