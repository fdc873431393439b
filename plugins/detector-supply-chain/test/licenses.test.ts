import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { knownLicenses, normalizeLicense } from "../src/licenses/license-ids.js";
import { identifyLicenseText } from "../src/licenses/license-text.js";
import { readOptions } from "../src/options.js";
import { LICENSE_FIXTURES, notes, records, scanWith, withFolder } from "./provenance-helpers.js";

interface ManifestEntry {
  file: string;
  maxSeverity: string | null;
  rules: string[];
}

const fixture = (file: string) => fileURLToPath(new URL(file, LICENSE_FIXTURES));
/** The SPDX ids the CycloneDX schema accepts as `license.id` (the SPDX license list it ships). */
const SPDX_IDS = new Set<string>(
  JSON.parse(
    readFileSync(new URL("../../../apps/cli/test/fixtures/cyclonedx/spdx.schema.json", import.meta.url), "utf8"),
  ).enum,
);

describe("license ids", () => {
  const table: [string, string, string][] = [
    ["apache-2.0", "Apache-2.0", "permissive"],
    ["Apache License 2.0", "Apache-2.0", "permissive"],
    ["Apache-2.0", "Apache-2.0", "permissive"],
    ["MIT License", "MIT", "permissive"],
    ["cc-by-nc-4.0", "CC-BY-NC-4.0", "non-commercial"],
    ["CC BY-NC 4.0", "CC-BY-NC-4.0", "non-commercial"],
    ["agpl-3.0", "AGPL-3.0-only", "network-copyleft"],
    ["gpl-3.0", "GPL-3.0-only", "copyleft"],
    ["llama2", "LicenseRef-Llama-2-Community", "use-restricted"],
    ["llama3.1", "LicenseRef-Llama-3.1-Community", "use-restricted"],
    ["gemma", "LicenseRef-Gemma", "use-restricted"],
    ["creativeml-openrail-m", "LicenseRef-CreativeML-OpenRAIL-M", "use-restricted"],
    ["openrail++", "LicenseRef-OpenRAIL-plus-plus", "use-restricted"],
    ["falcon-llm-license", "LicenseRef-Falcon-LLM", "use-restricted"],
    ["qwen", "LicenseRef-Qwen", "use-restricted"],
    ["deepfloyd-if-license", "LicenseRef-DeepFloyd-IF", "research-only"],
    ["microsoft-research-license", "LicenseRef-Microsoft-Research", "research-only"],
    ["LicenseRef-acme-internal", "LicenseRef-acme-internal", "unknown"],
    ["Our Own Terms v2", "LicenseRef-our-own-terms-v2", "unknown"],
  ];
  it.each(table)("%s → %s (%s)", (written, spdx, category) => {
    expect(normalizeLicense(written)).toMatchObject({ spdx, category });
  });

  it("names of Object.prototype are unknown licenses, not lookups into it", () => {
    for (const value of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(normalizeLicense(value)?.category).toBe("unknown");
    }
  });

  it("unknown, none and other are not licenses", () => {
    for (const value of ["unknown", "None", "other", "", " "]) expect(normalizeLicense(value)).toBeNull();
  });

  it("every id the table maps to is on the SPDX list, or a well-formed LicenseRef", () => {
    for (const license of knownLicenses()) {
      if (license.listed) expect(SPDX_IDS.has(license.spdx), license.spdx).toBe(true);
      else expect(license.spdx).toMatch(/^LicenseRef-[A-Za-z0-9.-]+$/);
    }
  });

  const texts: [string, string | null][] = [
    [
      "                                 Apache License\n                           Version 2.0, January 2004\n",
      "apache-2.0",
    ],
    [
      "MIT License\n\nCopyright (c) 2024\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n",
      "mit",
    ],
    ["LLAMA 2 COMMUNITY LICENSE AGREEMENT\nLlama 2 Version Release Date: July 18, 2023\n", "llama2"],
    ["Gemma Terms of Use\n\nLast modified: February 21, 2024\n", "gemma"],
    ["GNU AFFERO GENERAL PUBLIC LICENSE\n                       Version 3, 19 November 2007\n", "agpl-3.0"],
    [
      "Copyright (c) 2020\nRedistribution and use in source and binary forms, with or without\nmodification, are permitted provided that...\n3. Neither the name of the copyright holder",
      "bsd-3-clause",
    ],
    ["All rights reserved. Do not copy.", null],
  ];
  it.each(texts)("license text %#", (text, id) => {
    expect(identifyLicenseText(text)).toBe(id);
  });
});

describe("fifteen model cards as published on the Hub (tooling/fixtures/licenses/model-cards/SOURCES.md)", () => {
  const card = (name: string) => fixture(`model-cards/${name}/README.md`);
  // What each card's front matter declares (read from the card, not from the scanner): the value as written
  // (`license`, or `license_name` under `license: other`), the SPDX id it normalises to and what it allows.
  const declared: [card: string, spdx: string, written: string, category: string][] = [
    ["mistral-7b-v0.1", "Apache-2.0", "apache-2.0", "permissive"],
    ["gemma-2b-sfp-cpp", "LicenseRef-Gemma", "gemma", "use-restricted"],
    ["bert-base-uncased", "Apache-2.0", "apache-2.0", "permissive"],
    ["gpt2", "MIT", "mit", "permissive"],
    ["t5-small", "Apache-2.0", "apache-2.0", "permissive"],
    ["stable-diffusion-v1-5", "LicenseRef-CreativeML-OpenRAIL-M", "creativeml-openrail-m", "use-restricted"],
    ["falcon-7b", "Apache-2.0", "apache-2.0", "permissive"],
    ["phi-2", "MIT", "mit", "permissive"],
    ["qwen1.5-0.5b-chat", "LicenseRef-Tongyi-Qianwen-Research", "tongyi-qianwen-research", "research-only"],
    ["nb-whisper-small-beta", "CC-BY-4.0", "cc-by-4.0", "permissive"],
    ["qwen2.5-72b-instruct", "LicenseRef-Qwen", "qwen", "use-restricted"],
    ["phi-2-2023-12", "LicenseRef-Microsoft-Research", "microsoft-research-license", "research-only"],
    ["codellama-34b-instruct-hf", "LicenseRef-Llama-2-Community", "llama2", "use-restricted"],
    ["gemma-2b", "LicenseRef-Gemma", "gemma-terms-of-use", "use-restricted"],
  ];
  it.each(declared)("%s declares %s", async (name, spdx, written, category) => {
    const report = await scanWith([card(name)]);
    expect(notes(report, "supply-chain/license")).toEqual([
      `${spdx} is declared by the model card as ${written} (${category})`,
    ]);
    expect(report.findings).toEqual([]);
  });

  it("a commercial use flags the two research-only cards (Qwen1.5-0.5B-Chat, Phi-2 as first published), no other", async () => {
    const names = [...declared.map(([name]) => name), "llama-2-7b-hf"];
    const report = await scanWith(names.map(card), { licenses: { use: "commercial" } });
    const flagged = report.findings.map((finding) => [path.basename(path.dirname(finding.file)), finding.messageId]);
    expect(flagged.sort()).toEqual([
      ["phi-2-2023-12", "nonCommercial"],
      ["qwen1.5-0.5b-chat", "nonCommercial"],
    ]);
  });

  it("Meta's Llama-2-7b-hf card names no license; the LICENSE.txt beside it, as in the Hub repository, does", async () => {
    const alone = await scanWith([card("llama-2-7b-hf")]);
    expect(notes(alone, "supply-chain/license")).toEqual([]);
    expect(alone.findings).toEqual([]);
    const folder = await scanWith([fixture("model-cards/llama-2-7b-hf")]);
    expect(notes(folder, "supply-chain/license")).toEqual([
      "LicenseRef-Llama-2-Community is the license in the file LICENSE.txt (use-restricted)",
    ]);
    expect(folder.findings).toEqual([]);
    // Without the license file the card is what it says: a model with no license.
    await withFolder({ "Llama-2-7b-hf/README.md": readFileSync(card("llama-2-7b-hf"), "utf8") }, async (root) => {
      const report = await scanWith([path.join(root, "Llama-2-7b-hf/README.md")]);
      expect(report.findings.map((finding) => finding.message)).toEqual([
        "the model card of Llama-2-7b-hf declares no license, and no LICENSE file is beside it",
      ]);
    });
  });

  it("the Qwen2.5 card read with CRLF line endings, as its source repository stores it, says the same", async () => {
    const crlf = readFileSync(card("qwen2.5-72b-instruct"), "utf8").replaceAll("\n", "\r\n");
    await withFolder({ "README.md": crlf }, async (root) => {
      const report = await scanWith([path.join(root, "README.md")]);
      expect(notes(report, "supply-chain/license")).toEqual([
        "LicenseRef-Qwen is declared by the model card as qwen (use-restricted)",
      ]);
      expect(notes(report, "supply-chain/lineage")).toEqual([
        "huggingface.co/Qwen/Qwen2.5-72B is a base model of this model (model card base_model)",
      ]);
    });
  });

  it("the qwen card's base model is recorded", async () => {
    const report = await scanWith([card("qwen2.5-72b-instruct")]);
    expect(notes(report, "supply-chain/lineage")).toEqual([
      "huggingface.co/Qwen/Qwen2.5-72B is a base model of this model (model card base_model)",
    ]);
  });
});

describe("tooling/fixtures/licenses", () => {
  const manifest = JSON.parse(readFileSync(new URL("manifest.json", LICENSE_FIXTURES), "utf8")) as ManifestEntry[];
  for (const entry of manifest) {
    it(`${entry.file}: ${entry.rules.join(", ") || "nothing"}`, async () => {
      const report = await scanWith([fixture(entry.file)]);
      const rules = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
      expect(rules).toEqual([...entry.rules].sort());
    });
  }

  it("a LICENSE file is recorded by the license it holds", async () => {
    const report = await scanWith(
      ["apache", "mit", "llama3", "cc-by-nc"].map((name) => fixture(`license-files/${name}/LICENSE`)),
    );
    expect(report.findings).toEqual([]);
    expect(notes(report, "supply-chain/license")).toEqual([
      "Apache-2.0 is the license in the file LICENSE (permissive)",
      "CC-BY-NC-4.0 is the license in the file LICENSE (non-commercial)",
      "LicenseRef-Llama-3-Community is the license in the file LICENSE (use-restricted)",
      "MIT is the license in the file LICENSE (permissive)",
    ]);
  });
});

describe("the unit of a missing license is the model folder, judged on its card", () => {
  const card = (front: string) => `---\n${front}\n---\n# model\n`;
  it("a folder scanned whole warns once, on the card, never on its other files", async () => {
    await withFolder(
      {
        "README.md": card("language: en"),
        "config.json": '{"model_type": "llama"}',
        "model.pkl": "not really a pickle",
      },
      async (root) => {
        const report = await scanWith([root]);
        const missing = report.findings.filter((finding) => finding.ruleId === "supply-chain/missing-license");
        expect(missing.map((finding) => [path.basename(finding.file), finding.message])).toEqual([
          [
            "README.md",
            `the model card of ${path.basename(root)} declares no license, and no LICENSE file is beside it`,
          ],
        ]);
      },
    );
  });

  it("a single pickle, a checkpoint without a card, or a project README beside no model: no warning", async () => {
    await withFolder(
      {
        "lone/model.pkl": "bytes",
        "checkpoint/config.json": '{"model_type": "llama"}',
        "checkpoint/model.safetensors": "x",
        "project/README.md": "# A project\n\nSome docs.\n",
      },
      async (root) => {
        const report = await scanWith([root]);
        expect(report.findings.filter((finding) => finding.ruleId === "supply-chain/missing-license")).toEqual([]);
      },
    );
  });

  it("an adapter's card naming its base model and no license (PEFT's generated card) is an info note, not a warning", async () => {
    await withFolder(
      {
        "README.md": card("base_model: meta-llama/Llama-2-7b-hf\nlibrary_name: peft"),
        "adapter_config.json": '{"peft_type": "LORA", "base_model_name_or_path": "meta-llama/Llama-2-7b-hf"}',
        "adapter_model.safetensors": "x",
      },
      async (root) => {
        const report = await scanWith([root]);
        const missing = report.findings.filter((finding) => finding.ruleId === "supply-chain/missing-license");
        expect(missing.map((finding) => [finding.messageId, finding.severity])).toEqual([["baseModelLicense", "info"]]);
        expect(missing[0]?.message).toContain("meta-llama/Llama-2-7b-hf");
      },
    );
  });

  it("a card that says `license: unknown` stays a warning even with a base model", async () => {
    await withFolder(
      { "README.md": card("license: unknown\nbase_model: org/base"), "model.safetensors": "x" },
      async (root) => {
        const report = await scanWith([path.join(root, "README.md")]);
        expect(records(report)).toEqual([["supply-chain/missing-license", "unknownLicense", undefined]]);
      },
    );
  });

  it("a README without front matter beside weights is the model's card", async () => {
    await withFolder({ "README.md": "# My model\n", "model.safetensors": "x" }, async (root) => {
      const report = await scanWith([path.join(root, "README.md")]);
      expect(records(report)).toEqual([["supply-chain/missing-license", "noLicense", undefined]]);
    });
  });

  it("in a Hub cache the folder is named by its repository, not the snapshot's commit", async () => {
    const card = `hub/models--acme--tiny/snapshots/${"a".repeat(40)}/README.md`;
    await withFolder({ [card]: "---\nlanguage: en\n---\n# tiny\n" }, async (root) => {
      const report = await scanWith([path.join(root, card)]);
      expect(report.findings.map((finding) => finding.message)).toEqual([
        "the model card of acme/tiny declares no license, and no LICENSE file is beside it",
      ]);
    });
  });

  it("options.licenses.requireLicense: false turns the check off", async () => {
    const report = await scanWith([fixture("no-license/README.md")], { licenses: { requireLicense: false } });
    expect(report.findings).toEqual([]);
  });
});

describe("license policy", () => {
  const card = (license: string) => `---\nlicense: ${license}\n---\n# model\n`;
  const scanCard = (license: string, policy: Record<string, unknown>) =>
    withFolder({ "README.md": card(license) }, (root) =>
      scanWith([path.join(root, "README.md")], { licenses: policy }),
    );
  const policyFindings = async (license: string, policy: Record<string, unknown>) =>
    (await scanCard(license, policy)).findings
      .filter((finding) => finding.ruleId === "supply-chain/license-policy")
      .map((finding) => [finding.messageId, finding.severity]);

  it("denied is critical, review and not-allowed are warnings, allowed is nothing", async () => {
    const policy = { allowed: ["Apache-2.0", "mit"], denied: ["agpl-3.0"], review: ["llama3"] };
    expect(await policyFindings("agpl-3.0", policy)).toEqual([["denied", "critical"]]);
    expect(await policyFindings("llama3", policy)).toEqual([["review", "warning"]]);
    expect(await policyFindings("gpl-3.0", policy)).toEqual([["notAllowed", "warning"]]);
    expect(await policyFindings("MIT", policy)).toEqual([]);
  });

  it("non-commercial and research-only licenses are flagged only when the use is commercial", async () => {
    expect(await policyFindings("cc-by-nc-4.0", { use: "commercial" })).toEqual([["nonCommercial", "warning"]]);
    expect(await policyFindings("deepfloyd-if-license", { use: "commercial" })).toEqual([["nonCommercial", "warning"]]);
    expect(await policyFindings("cc-by-nc-4.0", { use: "research" })).toEqual([]);
    expect(await policyFindings("cc-by-nc-4.0", {})).toEqual([]);
    expect(await policyFindings("llama2", { use: "commercial" })).toEqual([]);
  });

  it("license fields in configs and model metadata are judged too", async () => {
    await withFolder(
      { "config.json": JSON.stringify({ model_type: "llama", license: "cc-by-nc-4.0" }) },
      async (root) => {
        const report = await scanWith([path.join(root, "config.json")], { licenses: { use: "commercial" } });
        expect(records(report)).toEqual([["supply-chain/license-policy", "nonCommercial", "CC-BY-NC-4.0"]]);
        expect(notes(report, "supply-chain/license")).toEqual([
          "CC-BY-NC-4.0 is declared by a license field as cc-by-nc-4.0 (non-commercial)",
        ]);
      },
    );
  });

  it("options are checked: unknown keys, bad uses and unreadable ids name the field", () => {
    const read = (licenses: unknown) => readOptions({ licenses }).licenses;
    expect(() => read({ use: "commercially" })).toThrow(/licenses.use: expected one of/);
    expect(() => read({ allowed: [3] })).toThrow(/licenses.allowed\[0\]: must be a license id, got 3/);
    expect(() => read({ deny: [] })).toThrow(/licenses.deny: unknown option/);
    expect([...read({ allowed: ["apache-2.0", "MIT License"] }).allowed]).toEqual(["Apache-2.0", "MIT"]);
  });
});
