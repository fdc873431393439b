import path from "node:path";
import { type Detector, type DetectorContext, FORMATS, type Location, type Origin, ruleNames } from "@modelaudit/core";
import { readOptions } from "../options.js";
import { formatRepoId, repoIdFromCachePath } from "../provenance/repo-id.js";
import license from "../rules/license.js";
import licensePolicy from "../rules/license-policy.js";
import missingLicense from "../rules/missing-license.js";
import { type License, normalizeLicense, OTHER, saysNoLicense } from "./license-ids.js";
import { identifyLicenseText, LICENSE_FILE_NAME, LICENSE_HEAD } from "./license-text.js";
import { folderContents } from "./model-folder.js";
import type { LicenseOptions } from "./options.js";

/** Where a license was declared: a model card's front matter, a LICENSE file, or a config / metadata field. */
type DeclarationKind = "card" | "file" | "metadata";

interface Declaration {
  kind: DeclarationKind;
  /** The value as written (a card's `license`, a metadata field) or the file name. */
  written: string;
  license: License;
  origin: Origin;
  location?: Location;
}

/** Front-matter keys of a Hugging Face model card (format-huggingface's model-card facts). */
const CARD_LICENSE = "front-matter.license";
const CARD_LICENSE_NAME = "front-matter.license_name";
/** `base_model: org/name`, or one item of a list of them. */
const CARD_BASE_MODEL = /^front-matter\.base_model(?:\[\d+\])?$/;
const FRONT_MATTER = "front-matter.";
/** A config or metadata field that holds a license: `license`, `general.license` (GGUF), `__metadata__.license`. */
const METADATA_LICENSE = /(?:^|[.[\]"])license(?:\.name)?"?\]?$/i;
const MAX_DECLARATIONS = 32;
const README = /^readme\.md$/i;

const optionsCache = new WeakMap<object, LicenseOptions>();

function optionsFor(raw: Readonly<Record<string, unknown>>): LicenseOptions {
  let options = optionsCache.get(raw);
  if (!options) {
    options = readOptions(raw).licenses;
    optionsCache.set(raw, options);
  }
  return options;
}

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const LICENSE_RULES = [license, licensePolicy, missingLicense];

/**
 * The license of each model, and the policy in options.licenses.
 *
 * The unit a license belongs to is the model folder: the folder of a Hugging Face model card
 * (`README.md`), the page the Hub shows for a repository. Its license is the card's `license` (or
 * `license_name` when that is `other`), or a LICENSE/COPYING file in the same folder. A model card
 * that declares none, beside configs or weights or with front matter of its own, and with no license
 * file beside it, is a missing license, reported once, on the card. Files outside such a folder
 * (a single pickle, a training checkpoint without a card) are not judged for a missing license:
 * nothing says they are a distributed model. Licenses written in configs and model metadata
 * (`general.license` in GGUF, `license` in a config) are recorded and judged against the policy
 * wherever they are.
 */
export const licenseDetector: Detector = {
  id: "license",
  description:
    "Reads the license of each model from its model card's front matter, LICENSE files and license fields in " +
    "configs and metadata, normalised to SPDX ids and recorded as notes on the passed license check; judges them against options.licenses (allowed, " +
    "denied, needs review, non-commercial licenses when the use is commercial); a model card with no license and " +
    "no LICENSE file beside it is a missing license.",
  facts: ["text"],
  strings: true,
  artifact: true,
  rules: ruleNames(LICENSE_RULES),
  create(context) {
    const options = optionsFor(context.options);
    const declarations: Declaration[] = [];
    const texts: { origin: Origin; text: string }[] = [];
    const licenseTexts = new WeakMap<Origin, { origin: Origin; text: string } | null>();
    let cardSeen = false;
    let cardSaysUnknown = false;
    let cardSaysOther: { origin: Origin; location?: Location } | undefined;
    let licenseName: { value: string; origin: Origin; location?: Location } | undefined;
    let baseModel: string | undefined;
    const declare = (declaration: Declaration) => {
      if (declarations.length < MAX_DECLARATIONS) declarations.push(declaration);
    };

    return {
      onFact(fact, origin) {
        if (fact.kind !== "text" || fact.key === undefined || fact.role === "vocabulary") return;
        const location = fact.location ? { location: fact.location } : {};
        if (fact.key.startsWith(FRONT_MATTER)) {
          if (origin.memberChain.length === 0) cardSeen = true;
          if (fact.key === CARD_LICENSE) {
            if (saysNoLicense(fact.text)) cardSaysUnknown = true;
            else if (fact.text.trim().toLowerCase() === OTHER) cardSaysOther = { origin, ...location };
            else {
              const license = normalizeLicense(fact.text);
              if (license) declare({ kind: "card", written: fact.text, license, origin, ...location });
            }
          } else if (fact.key === CARD_LICENSE_NAME) {
            licenseName = { value: fact.text, origin, ...location };
          } else if (CARD_BASE_MODEL.test(fact.key) && fact.text.trim() !== "") {
            baseModel ??= fact.text.trim();
          }
          return;
        }
        if (fact.role === "documentation" || !METADATA_LICENSE.test(fact.key) || fact.text.includes("://")) return;
        const license = normalizeLicense(fact.text);
        if (license) declare({ kind: "metadata", written: fact.text, license, origin, ...location });
      },
      onString(run, origin) {
        // Decided once per source: strings arrive for every source, most of them weights.
        let held = licenseTexts.get(origin);
        if (held === undefined) {
          const name = path.basename(origin.memberChain.at(-1) ?? origin.file);
          held = run.offset < LICENSE_HEAD && LICENSE_FILE_NAME.test(name) ? { origin, text: "" } : null;
          licenseTexts.set(origin, held);
          if (held) texts.push(held);
        }
        if (held && held.text.length < LICENSE_HEAD) held.text += `\n${run.text.slice(0, LICENSE_HEAD)}`;
      },
      finish(artifact) {
        if (cardSaysOther) {
          // `license: other` names its license in `license_name`; without one the terms are in the card's text.
          const license = normalizeLicense(licenseName?.value ?? "LicenseRef-other");
          const written = licenseName?.value ?? OTHER;
          if (license) declare({ kind: "card", written, license, ...(licenseName ?? cardSaysOther) });
        }
        for (const { origin, text } of texts) {
          const identified = identifyLicenseText(text);
          const license = normalizeLicense(identified ?? "LicenseRef-unidentified");
          const written = origin.memberChain.at(-1) ?? path.basename(origin.file);
          if (license) declare({ kind: "file", written, license, origin });
        }
        for (const declaration of declarations) judge(context, options, declaration);
        const top: Origin = { file: artifact.file, memberChain: [], formats: artifact.formats };
        const isCard = artifact.formats.includes(FORMATS.hfModelCard) && README.test(path.basename(artifact.file));
        const carded = declarations.some((declaration) => declaration.kind === "card");
        if (isCard && options.requireLicense && !carded)
          judgeMissing(context, top, cardSeen, cardSaysUnknown, baseModel);
      },
    };
  },
};

const RECORD_MESSAGE: Record<DeclarationKind, string> = { card: "card", file: "file", metadata: "metadata" };

function judge(context: DetectorContext, options: LicenseOptions, declaration: Declaration): void {
  const { license, origin } = declaration;
  const where = declaration.location ? { location: declaration.location } : {};
  const data = { license: declaration.written, spdx: license.spdx, category: license.category };
  // A record, not a finding: a note on the passed license check (the report's checks, the SBOM's licenses).
  context.note?.({ rule: "license", messageId: RECORD_MESSAGE[declaration.kind], data });
  const policy = (messageId: string, severity?: "critical") =>
    context.report({
      rule: "license-policy",
      messageId,
      data,
      origin,
      evidence: license.spdx,
      ...(severity && { severity }),
      ...where,
    });
  const breach = policyBreach(options, license);
  if (breach) policy(breach, breach === "denied" ? "critical" : undefined);
}

/** The first rule of options.licenses the license breaks (messageId of license-policy), or null. */
function policyBreach(options: LicenseOptions, license: License): string | null {
  if (options.denied.has(license.spdx)) return "denied";
  if (options.review.has(license.spdx)) return "review";
  const allowed = options.allowed.has(license.spdx);
  if (options.allowed.size > 0 && !allowed) return "notAllowed";
  const noCommercialUse = license.category === "non-commercial" || license.category === "research-only";
  return options.use === "commercial" && noCommercialUse && !allowed ? "nonCommercial" : null;
}

function judgeMissing(
  context: DetectorContext,
  card: Origin,
  frontMatter: boolean,
  saysUnknown: boolean,
  baseModel: string | undefined,
): void {
  const folder = folderContents(card.file);
  if (folder.licenseFiles.length > 0) return;
  // A README.md that is neither a card (front matter) nor beside a model is a project's README, not a model's.
  if (!frontMatter && folder.modelFiles.length === 0) return;
  if (baseModel !== undefined && !saysUnknown) {
    // An adapter or fine-tune whose card names its base model and no license of its own (PEFT's generated
    // card is such): the base model's license governs it. A note to check that one, not a warning.
    context.report({
      rule: "missing-license",
      messageId: "baseModelLicense",
      data: { folder: folderLabel(card.file), base: baseModel },
      origin: card,
      severity: "info",
    });
    return;
  }
  context.report({
    rule: "missing-license",
    messageId: saysUnknown ? "unknownLicense" : "noLicense",
    data: { folder: folderLabel(card.file) },
    origin: card,
  });
}

/** How a model folder is named in messages: its repository in a Hub cache (the folder is a commit hash), else its name. */
function folderLabel(file: string): string {
  const cached = repoIdFromCachePath(file);
  if (cached) return formatRepoId({ ...cached, revision: undefined });
  return path.basename(path.dirname(path.resolve(file))) || ".";
}
