/**
 * License identifiers as model cards, configs and metadata write them (the Hugging Face Hub's license
 * ids, SPDX ids, common spellings), normalised to SPDX ids. Licenses SPDX does not list (OpenRAIL,
 * Llama, Gemma, custom terms) become `LicenseRef-<name>`, as SPDX prescribes for other licenses.
 */

/**
 * What a license allows, as far as a policy cares:
 * - `permissive`, `copyleft` (weak or strong, the source must be shared), `network-copyleft` (AGPL);
 * - `use-restricted`: commercial use allowed under an acceptable-use policy or a size cap (OpenRAIL, Llama, Gemma);
 * - `non-commercial`, `research-only`: no commercial use;
 * - `unknown`: a license we cannot classify (custom terms, an unrecognised name).
 */
export type LicenseCategory =
  | "permissive"
  | "copyleft"
  | "network-copyleft"
  | "use-restricted"
  | "non-commercial"
  | "research-only"
  | "unknown";

export interface License {
  /** An SPDX id, or `LicenseRef-…`. */
  spdx: string;
  category: LicenseCategory;
  /** True when `spdx` is on the SPDX license list (a CycloneDX `license.id`), false for `LicenseRef-…`. */
  listed: boolean;
}

type Entry = [spdx: string, category: LicenseCategory];

/** Hugging Face Hub license ids (and SPDX ids, lower-cased) → SPDX. */
const KNOWN: Record<string, Entry> = {
  "apache-2.0": ["Apache-2.0", "permissive"],
  mit: ["MIT", "permissive"],
  "mit-0": ["MIT-0", "permissive"],
  "afl-3.0": ["AFL-3.0", "permissive"],
  "artistic-2.0": ["Artistic-2.0", "permissive"],
  "bsl-1.0": ["BSL-1.0", "permissive"],
  "bsd-2-clause": ["BSD-2-Clause", "permissive"],
  "bsd-3-clause": ["BSD-3-Clause", "permissive"],
  "bsd-3-clause-clear": ["BSD-3-Clause-Clear", "permissive"],
  "cc0-1.0": ["CC0-1.0", "permissive"],
  "cc-by-2.0": ["CC-BY-2.0", "permissive"],
  "cc-by-2.5": ["CC-BY-2.5", "permissive"],
  "cc-by-3.0": ["CC-BY-3.0", "permissive"],
  "cc-by-4.0": ["CC-BY-4.0", "permissive"],
  "cc-by-sa-3.0": ["CC-BY-SA-3.0", "copyleft"],
  "cc-by-sa-4.0": ["CC-BY-SA-4.0", "copyleft"],
  "cc-by-nd-4.0": ["CC-BY-ND-4.0", "permissive"],
  "cc-by-nc-2.0": ["CC-BY-NC-2.0", "non-commercial"],
  "cc-by-nc-3.0": ["CC-BY-NC-3.0", "non-commercial"],
  "cc-by-nc-4.0": ["CC-BY-NC-4.0", "non-commercial"],
  "cc-by-nc-nd-3.0": ["CC-BY-NC-ND-3.0", "non-commercial"],
  "cc-by-nc-nd-4.0": ["CC-BY-NC-ND-4.0", "non-commercial"],
  "cc-by-nc-sa-2.0": ["CC-BY-NC-SA-2.0", "non-commercial"],
  "cc-by-nc-sa-3.0": ["CC-BY-NC-SA-3.0", "non-commercial"],
  "cc-by-nc-sa-4.0": ["CC-BY-NC-SA-4.0", "non-commercial"],
  "cdla-sharing-1.0": ["CDLA-Sharing-1.0", "copyleft"],
  "cdla-permissive-1.0": ["CDLA-Permissive-1.0", "permissive"],
  "cdla-permissive-2.0": ["CDLA-Permissive-2.0", "permissive"],
  "c-uda": ["C-UDA-1.0", "non-commercial"],
  wtfpl: ["WTFPL", "permissive"],
  "ecl-2.0": ["ECL-2.0", "permissive"],
  "epl-1.0": ["EPL-1.0", "copyleft"],
  "epl-2.0": ["EPL-2.0", "copyleft"],
  "etalab-2.0": ["etalab-2.0", "permissive"],
  "eupl-1.1": ["EUPL-1.1", "copyleft"],
  "eupl-1.2": ["EUPL-1.2", "copyleft"],
  "agpl-3.0": ["AGPL-3.0-only", "network-copyleft"],
  "agpl-3.0-only": ["AGPL-3.0-only", "network-copyleft"],
  "agpl-3.0-or-later": ["AGPL-3.0-or-later", "network-copyleft"],
  "gpl-2.0": ["GPL-2.0-only", "copyleft"],
  "gpl-2.0-only": ["GPL-2.0-only", "copyleft"],
  "gpl-2.0-or-later": ["GPL-2.0-or-later", "copyleft"],
  "gpl-3.0": ["GPL-3.0-only", "copyleft"],
  "gpl-3.0-only": ["GPL-3.0-only", "copyleft"],
  "gpl-3.0-or-later": ["GPL-3.0-or-later", "copyleft"],
  "lgpl-2.1": ["LGPL-2.1-only", "copyleft"],
  "lgpl-2.1-only": ["LGPL-2.1-only", "copyleft"],
  "lgpl-3.0": ["LGPL-3.0-only", "copyleft"],
  "lgpl-3.0-only": ["LGPL-3.0-only", "copyleft"],
  isc: ["ISC", "permissive"],
  "lppl-1.3c": ["LPPL-1.3c", "copyleft"],
  "ms-pl": ["MS-PL", "permissive"],
  "mpl-2.0": ["MPL-2.0", "copyleft"],
  "odc-by": ["ODC-By-1.0", "permissive"],
  odbl: ["ODbL-1.0", "copyleft"],
  "osl-3.0": ["OSL-3.0", "copyleft"],
  postgresql: ["PostgreSQL", "permissive"],
  "ofl-1.1": ["OFL-1.1", "copyleft"],
  ncsa: ["NCSA", "permissive"],
  unlicense: ["Unlicense", "permissive"],
  zlib: ["Zlib", "permissive"],
  pddl: ["PDDL-1.0", "permissive"],
  // Not on the SPDX list: responsible-AI and vendor licenses.
  openrail: ["LicenseRef-OpenRAIL", "use-restricted"],
  "openrail++": ["LicenseRef-OpenRAIL-plus-plus", "use-restricted"],
  "creativeml-openrail-m": ["LicenseRef-CreativeML-OpenRAIL-M", "use-restricted"],
  "bigscience-openrail-m": ["LicenseRef-BigScience-OpenRAIL-M", "use-restricted"],
  "bigscience-bloom-rail-1.0": ["LicenseRef-BigScience-BLOOM-RAIL-1.0", "use-restricted"],
  "bigcode-openrail-m": ["LicenseRef-BigCode-OpenRAIL-M", "use-restricted"],
  llama2: ["LicenseRef-Llama-2-Community", "use-restricted"],
  llama3: ["LicenseRef-Llama-3-Community", "use-restricted"],
  "llama3.1": ["LicenseRef-Llama-3.1-Community", "use-restricted"],
  "llama3.2": ["LicenseRef-Llama-3.2-Community", "use-restricted"],
  "llama3.3": ["LicenseRef-Llama-3.3-Community", "use-restricted"],
  llama4: ["LicenseRef-Llama-4-Community", "use-restricted"],
  gemma: ["LicenseRef-Gemma", "use-restricted"],
  "tongyi-qianwen": ["LicenseRef-Tongyi-Qianwen", "use-restricted"],
  // Qwen1.5's small chat models (Hub license_name tongyi-qianwen-research): research use only.
  "tongyi-qianwen-research": ["LicenseRef-Tongyi-Qianwen-Research", "research-only"],
  qwen: ["LicenseRef-Qwen", "use-restricted"],
  "qwen-research": ["LicenseRef-Qwen-Research", "research-only"],
  "stabilityai-ai-community": ["LicenseRef-StabilityAI-Community", "use-restricted"],
  "stabilityai-nc-research-community": ["LicenseRef-StabilityAI-NC-Research-Community", "non-commercial"],
  "falcon-llm-license": ["LicenseRef-Falcon-LLM", "use-restricted"],
  "deepfloyd-if-license": ["LicenseRef-DeepFloyd-IF", "research-only"],
  "fair-noncommercial-research-license": ["LicenseRef-FAIR-Noncommercial-Research", "non-commercial"],
  "h-research": ["LicenseRef-h-research", "research-only"],
  "intel-research": ["LicenseRef-Intel-Research", "research-only"],
  // Phi-2 as first published (Hub license_name microsoft-research-license): non-commercial research use only.
  "microsoft-research-license": ["LicenseRef-Microsoft-Research", "research-only"],
  "apple-amlr": ["LicenseRef-Apple-AMLR", "research-only"],
  "apple-ascl": ["LicenseRef-Apple-ASCL", "permissive"],
};

/** Other spellings seen in cards, configs and GGUF metadata, after `keyOf` folding. */
const ALIASES: Record<string, string> = {
  apache: "apache-2.0",
  "apache-2": "apache-2.0",
  "apache-v2": "apache-2.0",
  "apache-v2.0": "apache-2.0",
  "apache-license-2.0": "apache-2.0",
  "apache-license-version-2.0": "apache-2.0",
  "mit-license": "mit",
  "bsd-3": "bsd-3-clause",
  "bsd-2": "bsd-2-clause",
  "cc-by-nc": "cc-by-nc-4.0",
  "cc-by-nc-sa": "cc-by-nc-sa-4.0",
  "cc-by": "cc-by-4.0",
  "cc-by-sa": "cc-by-sa-4.0",
  cc0: "cc0-1.0",
  "llama-2": "llama2",
  "llama-2-community": "llama2",
  "llama-3": "llama3",
  "llama-3-community": "llama3",
  "llama-3.1": "llama3.1",
  "llama-3.2": "llama3.2",
  "llama-3.3": "llama3.3",
  "llama-4": "llama4",
  "gemma-terms-of-use": "gemma",
  "openrail-m": "openrail",
  "gpl-3": "gpl-3.0",
  gpl3: "gpl-3.0",
  agpl: "agpl-3.0",
  "agpl-3": "agpl-3.0",
  "qwen-license": "qwen",
  "stabilityai-community": "stabilityai-ai-community",
  "stable-diffusion-3-community": "stabilityai-ai-community",
  "falcon-180b-tii-license-1.0": "falcon-llm-license",
};

/** Values that say there is no license (`unknown` is what the Hub writes when the uploader does not know). */
const NO_LICENSE = new Set(["unknown", "none", "no-license", "unlicensed", "n/a", "na", "tbd", "tba"]);
/** `other`: the real license is in `license_name` / `license_link` or the card's text. */
export const OTHER = "other";

const LICENSE_REF = /^licenseref-[a-z0-9.-]+$/i;
const MAX_VALUE = 200;

/** Lower case, words joined by `-`, a trailing "license" dropped, `_` as `-`. */
function keyOf(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
    .replace(/^(the-)/, "")
    .replace(/-?licen[cs]e$/, "")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Known ids for tests and the SBOM: every mapping's target. */
export function knownLicenses(): License[] {
  return Object.values(KNOWN).map(([spdx, category]) => ({ spdx, category, listed: !spdx.startsWith("LicenseRef-") }));
}

/** True when the value says there is no license. */
export function saysNoLicense(value: string): boolean {
  return NO_LICENSE.has(value.trim().toLowerCase());
}

/**
 * The SPDX form of a declared license. Unrecognised names become `LicenseRef-<name>` (category
 * unknown); null for empty values, `other` (the name is elsewhere) and values that say there is none.
 */
export function normalizeLicense(value: string): License | null {
  const text = value.trim();
  if (text.length === 0 || text.length > MAX_VALUE || saysNoLicense(text) || text.toLowerCase() === OTHER) return null;
  const exact = known(text.toLowerCase());
  if (exact) return license(exact);
  const key = keyOf(text);
  const alias = Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
  const entry = known(key) ?? (alias !== undefined ? known(alias) : undefined) ?? known(`${key}-license`);
  if (entry) return license(entry);
  if (LICENSE_REF.test(text))
    return { spdx: `LicenseRef-${text.slice("LicenseRef-".length)}`, category: "unknown", listed: false };
  const ref =
    key
      .replace(/[^a-z0-9.-]/g, "-")
      .replace(/-+/g, "-")
      .replace(/^-|-$/g, "") || "unnamed";
  return { spdx: `LicenseRef-${ref}`, category: "unknown", listed: false };
}

/** Own entries only: a card that says `license: constructor` must not reach Object.prototype. */
function known(key: string): Entry | undefined {
  return Object.hasOwn(KNOWN, key) ? KNOWN[key] : undefined;
}

function license([spdx, category]: Entry): License {
  return { spdx, category, listed: !spdx.startsWith("LicenseRef-") };
}
