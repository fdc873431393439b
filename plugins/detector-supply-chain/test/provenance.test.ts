import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadOptionsSchema, optionProblems } from "@modelaudit/core/options";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { readOptions } from "../src/options.js";
import { findLookalike, skeleton, withinOneEdit } from "../src/provenance/lookalike.js";
import { KNOWN_NAMESPACES, POPULAR_ORGS } from "../src/provenance/popular-orgs.js";
import { gitRemotes } from "../src/provenance/provenance-detector.js";
import { formatRepoId, repoIdFromCachePath, repoIdFromText, repoIdFromUrl } from "../src/provenance/repo-id.js";
import { notes, PROVENANCE_FIXTURES, records, scanWith, withFolder } from "./provenance-helpers.js";

interface ManifestEntry {
  file: string;
  expect: string;
  maxSeverity: string | null;
  rules: string[];
}

const COMMIT = "0e7c75d2b9ecf1e7882701520d1193ac48e855c6";

describe("repository ids", () => {
  it("reads a Hugging Face cache folder anywhere in a path, with its snapshot revision", () => {
    const id = repoIdFromCachePath(
      `/home/ci/.cache/huggingface/hub/models--meta-llama--Llama-2-7b-hf/snapshots/${COMMIT}/config.json`,
    );
    expect(id).toEqual({ org: "meta-llama", name: "Llama-2-7b-hf", host: "huggingface.co", revision: COMMIT });
    expect(repoIdFromCachePath("C:\\cache\\models--gpt2\\blobs\\abc")).toEqual({
      org: "",
      name: "gpt2",
      host: "huggingface.co",
    });
    expect(repoIdFromCachePath("/models/llama/config.json")).toBeNull();
    expect(repoIdFromCachePath("/x/models--a--b--c/config.json")).toBeNull();
  });

  const urls: [string, string | null][] = [
    ["https://huggingface.co/0penai/whisper-small", "0penai/whisper-small"],
    ["https://user:hf_secret@huggingface.co/org/name.git", "org/name"],
    ["https://huggingface.co/org/name/tree/main", "org/name@main"],
    [`https://huggingface.co/org/name/resolve/${COMMIT}/model.safetensors`, `org/name@${COMMIT}`],
    ["https://huggingface.co/datasets/org/data", null],
    ["git@hf.co:org/name", "org/name"],
    ["git@github.com:openai/whisper.git", "openai/whisper"],
    ["ssh://git@github.com/openai/whisper.git", "openai/whisper"],
    ["hf://meta-llama/Llama-2-7b-hf@main", "meta-llama/Llama-2-7b-hf@main"],
    ["file:///srv/models/x", null],
    ["not a url", null],
  ];
  it.each(urls)("URL %s → %s", (url, expected) => {
    const id = repoIdFromUrl(url);
    expect(id ? formatRepoId(id) : null).toBe(expected);
  });

  const texts: [string, string | null][] = [
    ["meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-7b-hf"],
    ["Qwen/Qwen2.5-72B@v1", "Qwen/Qwen2.5-72B@v1"],
    ["./outputs/checkpoint-500", null],
    ["/tmp/tmpabc/model", null],
    ["C:\\models\\x", null],
    ["runs/exp1/checkpoint-500", null],
    ["gpt2", null],
    ["a b/c", null],
  ];
  it.each(texts)("text %s → %s", (text, expected) => {
    const id = repoIdFromText(text);
    expect(id ? formatRepoId(id) : null).toBe(expected);
  });

  it("reads the remotes of a git config, and only the remotes", () => {
    const config =
      '[core]\n\turl = https://example.com/not-a-remote\n[remote "origin"]\n\turl = https://huggingface.co/a/b\n[remote "up"]\n  url=git@github.com:c/d.git\n';
    expect(gitRemotes(config)).toEqual([
      { name: "origin", url: "https://huggingface.co/a/b" },
      { name: "up", url: "git@github.com:c/d.git" },
    ]);
  });
});

describe("look-alike namespaces", () => {
  const squats: [string, string, string][] = [
    ["meta-1lama", "meta-llama", "confusable"],
    ["0penai", "openai", "confusable"],
    ["gooogle", "google", "confusable"],
    ["m\u0435ta-llama", "meta-llama", "script"],
    ["\u043epenai", "openai", "script"],
    ["meta_llama", "meta-llama", "separators"],
    ["metallama", "meta-llama", "separators"],
    ["micrsoft", "microsoft", "edit"],
    ["mistralia", "mistralai", "edit"],
    ["stabilitai", "stabilityai", "edit"],
    ["googel", "google", "edit"],
    ["rnicrosoft", "microsoft", "confusable"],
    ["faceb00k", "facebook", "confusable"],
  ];
  it.each(squats)("%s imitates %s (%s)", (name, target, kind) => {
    expect(findLookalike(name, POPULAR_ORGS)).toEqual({ target, kind });
  });

  // Real namespaces, popular or not, that must stay clean.
  const real = [
    ...POPULAR_ORGS,
    ...POPULAR_ORGS.map((name) => name.toUpperCase()),
    "openbmb",
    "Intel",
    "ai21labs",
    "cerebras",
    "google-deepmind",
    "upstage",
    "TinyLlama",
    "lmstudio-community",
    "teknium",
    "h2oai",
    "internlm",
    "baichuan-inc",
    "moonshotai",
    "llava-hf",
    "ggml-org",
    "facebookresearch",
    "Writer",
    "nomic-ai",
    "Snowflake",
    "jinaai",
    "thenlper",
    "acme-ml",
    "my-company",
  ];
  it.each(real)("%s is not a look-alike", (name) => {
    expect(findLookalike(name, POPULAR_ORGS)).toBeNull();
  });

  it.each(KNOWN_NAMESPACES)("%s (a real namespace next to a popular one) is known, not a look-alike", (name) => {
    expect(findLookalike(name, POPULAR_ORGS, KNOWN_NAMESPACES)).toBeNull();
  });

  it("a git remote of Stability-AI on GitHub is clean", async () => {
    await withFolder(
      { "sd/.git/config": '[remote "origin"]\n\turl = https://github.com/Stability-AI/generative-models.git\n' },
      async (root) => {
        expect((await scanWith([path.join(root, "sd/.git/config")])).findings).toEqual([]);
      },
    );
  });

  it("a trusted namespace is never a look-alike; a protected one is checked", () => {
    expect(findLookalike("googel", POPULAR_ORGS, ["googel"])).toBeNull();
    expect(findLookalike("acme-rnl", [...POPULAR_ORGS, "acme-ml"])).toEqual({ target: "acme-ml", kind: "confusable" });
  });

  it("skeletons fold case, separators, doubled letters and confusables; edits count swaps", () => {
    expect(skeleton("Meta-1lama")).toBe(skeleton("meta_llama"));
    expect(withinOneEdit("gogole", "google")).toBe(true);
    expect(withinOneEdit("google", "google")).toBe(false);
    expect(withinOneEdit("gogl", "google")).toBe(false);
  });
});

describe("provenance options", () => {
  it("the plugin checks provenance and licenses options at start-up, naming the key path", async () => {
    // The schema the plugin's loader imports, as the engine does for a config that sets these options.
    const schema = (await loadOptionsSchema(plugin.optionsSchema))!;
    const validateOptions = (options: Record<string, unknown>) => optionProblems(schema, options);
    expect(validateOptions({ provenance: { trusted: "meta-llama" } })).toEqual([
      "provenance.trusted: must be an array of non-empty strings",
    ]);
    expect(validateOptions({ licenses: { use: "sometimes" } })).toEqual([
      'licenses.use: expected one of commercial, non-commercial, research, got "sometimes"',
    ]);
    expect(validateOptions({ provenance: { trusted: ["meta-llama"] }, licenses: { denied: ["agpl-3.0"] } })).toEqual(
      [],
    );
  });

  it("reads trusted sources and protected names, and names the bad field", () => {
    const read = (provenance: unknown) => readOptions({ provenance }).provenance;
    const options = read({ trusted: ["meta-llama", "acme/*-prod"], protect: ["acme"] });
    expect(options.trusted.map((source) => source.pattern)).toEqual(["meta-llama", "acme/*-prod"]);
    expect(options.protect).toEqual(["acme"]);
    expect(() => read({ trusted: "meta-llama" })).toThrow(/provenance.trusted: must be an array/);
    expect(() => read({ trusted: ["a/b/c"] })).toThrow(/provenance.trusted\[0\]: must be "org" or "org\/name"/);
    expect(() => read({ allow: [] })).toThrow(/provenance.allow: unknown option \(known: trusted, protect\)/);
  });
});

describe("tooling/fixtures/provenance", () => {
  const manifest = JSON.parse(readFileSync(new URL("manifest.json", PROVENANCE_FIXTURES), "utf8")) as ManifestEntry[];
  it("holds the three acceptance typosquats in a cache folder name and in _name_or_path", () => {
    const files = manifest
      .filter((entry) => entry.rules.includes("supply-chain/lookalike-repository"))
      .map((entry) => entry.file);
    for (const squat of ["meta-1lama", "0penai", "gooogle"]) {
      expect(files.some((file) => file.includes(`models--${squat}--`))).toBe(true);
      expect(files).toContain(`name-or-path/${squat}/config.json`);
    }
  });

  for (const entry of manifest) {
    it(`${entry.file}: ${entry.rules.join(", ") || "nothing"}`, async () => {
      const report = await scanWith([fileURLToPath(new URL(entry.file, PROVENANCE_FIXTURES))]);
      const rules = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
      expect(rules).toEqual([...entry.rules].sort());
      const worst = report.findings.some((finding) => finding.severity === "warning")
        ? "warning"
        : rules.length > 0
          ? "info"
          : null;
      expect(worst).toBe(entry.maxSeverity);
    });
  }

  it("a cache typosquat names the look-alike, the real namespace and where it was read", async () => {
    const file = fileURLToPath(
      new URL(manifest.find((entry) => entry.file.includes("models--0penai--"))!.file, PROVENANCE_FIXTURES),
    );
    const report = await scanWith([file]);
    const messages = report.findings
      .filter((finding) => finding.ruleId === "supply-chain/lookalike-repository")
      .map((finding) => finding.message);
    expect(messages).toEqual([
      "0penai/gpt-oss-20b (config _name_or_path) looks like the namespace openai but is not it: look-alike characters such as 0/o, 1/l, rn/m or a doubled letter",
      expect.stringMatching(
        /^0penai\/gpt-oss-20b@[0-9a-f]{40} \(Hugging Face cache folder\) looks like the namespace openai but is not it/,
      ),
    ]);
    expect(notes(report, "supply-chain/provenance")).toEqual([
      expect.stringMatching(
        /^huggingface\.co\/0penai\/gpt-oss-20b@[0-9a-f]{40} is the model's source \(Hugging Face cache folder\)$/,
      ),
    ]);
  });
});

describe("git remotes", () => {
  const gitConfig = (url: string) =>
    `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`;
  it("a clone of a look-alike repository is a warning on its .git/config; the real one is a record", async () => {
    await withFolder(
      {
        "squat/.git/config": gitConfig("https://huggingface.co/0penai/whisper-small"),
        "real/.git/config": gitConfig("https://huggingface.co/openai/whisper-small"),
      },
      async (root) => {
        const squat = await scanWith([path.join(root, "squat/.git/config")]);
        expect(records(squat)).toEqual([["supply-chain/lookalike-repository", "lookalike", "0penai/whisper-small"]]);
        expect(notes(squat, "supply-chain/provenance")).toEqual([
          "huggingface.co/0penai/whisper-small is the model's source (git remote origin)",
        ]);
        const real = await scanWith([path.join(root, "real/.git/config")]);
        expect(records(real)).toEqual([]);
        expect(notes(real, "supply-chain/provenance")).toEqual([
          "huggingface.co/openai/whisper-small is the model's source (git remote origin)",
        ]);
      },
    );
  });

  it("a file named config outside .git is not read as a git config", async () => {
    await withFolder({ "repo/config": gitConfig("https://huggingface.co/0penai/whisper-small") }, async (root) => {
      expect((await scanWith([path.join(root, "repo/config")])).findings).toEqual([]);
    });
  });
});

describe("trusted sources", () => {
  const card = (base: string) => `---\nbase_model: ${base}\nlicense: mit\n---\n# adapter\n`;
  it("a base model outside options.provenance.trusted is a warning; inside, only the record", async () => {
    await withFolder(
      { "a/README.md": card("meta-llama/Llama-2-7b-hf"), "b/README.md": card("someone/llama-merge") },
      async (root) => {
        const options = { provenance: { trusted: ["meta-llama", "acme/*"] } };
        const trusted = await scanWith([path.join(root, "a/README.md")], options);
        expect(trusted.findings).toEqual([]);
        expect(notes(trusted, "supply-chain/lineage")).toEqual([
          "huggingface.co/meta-llama/Llama-2-7b-hf is a base model of this model (model card base_model)",
        ]);
        const untrusted = await scanWith([path.join(root, "b/README.md")], options);
        expect(untrusted.findings.find((finding) => finding.ruleId === "supply-chain/untrusted-source")?.message).toBe(
          "someone/llama-merge (model card base_model) is not a trusted source (options.provenance.trusted)",
        );
      },
    );
  });

  it("trust never lowers a finding: a trusted source's LFS pointer is still a warning", async () => {
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${"4d".repeat(32)}\nsize 12345\n`;
    const file = `hub/models--meta-llama--Llama-2-7b-hf/snapshots/${COMMIT}/model.safetensors`;
    await withFolder({ [file]: pointer }, async (root) => {
      const report = await scanWith([path.join(root, file)], { provenance: { trusted: ["meta-llama"] } });
      expect(report.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([
        ["supply-chain/lfs-pointer", "warning"],
      ]);
      expect(notes(report, "supply-chain/provenance")).toEqual([
        `huggingface.co/meta-llama/Llama-2-7b-hf@${COMMIT} is the model's source (Hugging Face cache folder)`,
      ]);
    });
  });

  it("config keys named like Object.prototype members are not id keys", async () => {
    await withFolder(
      { "config.json": JSON.stringify({ constructor: "0penai/x", __proto__: "0penai/y", model_type: "llama" }) },
      async (root) => {
        expect((await scanWith([path.join(root, "config.json")])).findings).toEqual([]);
      },
    );
  });

  it("a look-alike of a trusted namespace is caught like one of a popular namespace", async () => {
    const card = "---\nbase_model: acrne-ml/classifier\nlicense: mit\n---\n# adapter\n";
    await withFolder({ "README.md": card }, async (root) => {
      const report = await scanWith([path.join(root, "README.md")], { provenance: { trusted: ["acme-ml/*"] } });
      expect(report.findings.map((finding) => finding.message)).toEqual([
        "acrne-ml/classifier (model card base_model) looks like the namespace acme-ml but is not it: look-alike characters such as 0/o, 1/l, rn/m or a doubled letter",
        "acrne-ml/classifier (model card base_model) is not a trusted source (options.provenance.trusted)",
      ]);
    });
  });

  it("_name_or_path is never held to the trusted list (it is often a local folder)", async () => {
    await withFolder(
      { "config.json": JSON.stringify({ _name_or_path: "output/model", model_type: "llama" }) },
      async (root) => {
        const report = await scanWith([path.join(root, "config.json")], { provenance: { trusted: ["meta-llama"] } });
        expect(report.findings).toEqual([]);
      },
    );
  });

  it("a branch in base_model is an unpinned revision; a commit is not", async () => {
    await withFolder(
      {
        "a/README.md": card("meta-llama/Llama-2-7b-hf@main"),
        "b/README.md": card(`meta-llama/Llama-2-7b-hf@${COMMIT}`),
      },
      async (root) => {
        const branch = await scanWith([path.join(root, "a/README.md")]);
        expect(branch.findings.find((finding) => finding.ruleId === "supply-chain/unpinned-revision")?.message).toBe(
          "meta-llama/Llama-2-7b-hf@main (model card base_model) is named at revision main, which can move; a commit hash cannot",
        );
        const commit = await scanWith([path.join(root, "b/README.md")]);
        expect(commit.findings.map((finding) => finding.ruleId)).not.toContain("supply-chain/unpinned-revision");
      },
    );
  });
});
