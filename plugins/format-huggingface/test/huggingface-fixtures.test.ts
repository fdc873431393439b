import { describe, expect, it } from "vitest";
import { encode, fixture, manifest, ofKind, parse } from "./helpers.js";

const FORMAT: Record<string, string> = {
  "config.json": "hf-config",
  "tokenizer_config.json": "hf-tokenizer-config",
  "special_tokens_map.json": "hf-tokenizer-config",
  "chat_template.jinja": "hf-tokenizer-config",
  "tokenizer.json": "hf-tokenizer",
  "generation_config.json": "hf-generation-config",
  "README.md": "hf-model-card",
  "modeling_custom.py": "hf-python-source",
  "configuration_custom.py": "hf-python-source",
};

describe("every file in tooling/fixtures/huggingface/manifest.json", () => {
  for (const entry of manifest()) {
    it(`${entry.file} is claimed by exactly one handler and parses without anomalies`, async () => {
      const parsed = await parse(entry.file);
      const base = entry.file.slice(entry.file.lastIndexOf("/") + 1);
      expect(parsed.formats).toEqual([FORMAT[base]]);
      expect(parsed.inconclusive).toEqual([]);
      expect(ofKind(parsed.facts, "anomaly")).toEqual([]);
    });
  }
});

describe("config.json auto_map", () => {
  it("a reference into another repository is referenceKind repository", async () => {
    const { facts } = await parse("hf-repo-remote-code/config.json");
    expect(ofKind(facts, "reference")).toEqual([
      {
        kind: "reference",
        target: "acme-research/hyena-base--configuration_hyena.HyenaConfig",
        referenceKind: "repository",
        key: "auto_map.AutoConfig",
        location: { path: "auto_map.AutoConfig" },
      },
      {
        kind: "reference",
        target: "acme-research/hyena-base--modeling_hyena.HyenaForCausalLM",
        referenceKind: "repository",
        key: "auto_map.AutoModelForCausalLM",
        location: { path: "auto_map.AutoModelForCausalLM" },
      },
    ]);
    const texts = ofKind(facts, "text");
    expect(texts).toContainEqual({
      kind: "text",
      text: "HyenaForCausalLM",
      key: "architectures[0]",
      role: "config",
      location: { path: "architectures[0]" },
    });
    // auto_map values are references, not duplicated as text.
    expect(texts.some((fact) => fact.text.includes("--"))).toBe(false);
  });

  it("Keras model keys beside auto_map do not hide it: transformers follows auto_map whatever else the file holds", async () => {
    const { facts, formats } = await parse("hf-repo-remote-code-keras-keys/config.json");
    expect(formats).toEqual(["hf-config"]);
    expect(ofKind(facts, "reference").map((fact) => fact.target)).toEqual([
      "acme-research/hyena-base--configuration_hyena.HyenaConfig",
      "acme-research/hyena-base--modeling_hyena.HyenaForCausalLM",
    ]);
  });

  it("local code is referenceKind module", async () => {
    const { facts } = await parse("hf-repo-local-code/config.json");
    expect(ofKind(facts, "reference").map((fact) => [fact.referenceKind, fact.target, fact.key])).toEqual([
      ["module", "configuration_custom.CustomConfig", "auto_map.AutoConfig"],
      ["module", "modeling_custom.CustomForCausalLM", "auto_map.AutoModelForCausalLM"],
    ]);
  });

  it("a plain Llama config has no references", async () => {
    const { facts } = await parse("hf-repo-clean/config.json");
    expect(ofKind(facts, "reference")).toEqual([]);
    expect(ofKind(facts, "text").find((fact) => fact.key === "_name_or_path")?.text).toBe(
      "modelaudit-fixtures/tiny-llama3-chat",
    );
  });

  it("tokenizer auto_map lists, custom_pipelines and trust_remote_code", async () => {
    const config = {
      model_type: "chatglm",
      auto_map: { AutoTokenizer: ["THUDM/chatglm3-6b--tokenization_chatglm.ChatGLMTokenizer", null] },
      custom_pipelines: { "text-classification": { impl: "pipeline_custom.MyPipeline", pt: ["AutoModel"] } },
      trust_remote_code: true,
    };
    const { facts } = await parse("config.json", encode(JSON.stringify(config)));
    expect(ofKind(facts, "reference").map((fact) => [fact.referenceKind, fact.target, fact.key])).toEqual([
      ["repository", "THUDM/chatglm3-6b--tokenization_chatglm.ChatGLMTokenizer", "auto_map.AutoTokenizer[0]"],
      ["module", "pipeline_custom.MyPipeline", 'custom_pipelines["text-classification"].impl'],
      ["module", "trust_remote_code=true", "trust_remote_code"],
    ]);
  });

  it("a path-like auto_map target is an unusual-structure anomaly", async () => {
    const config = { model_type: "x", auto_map: { AutoModel: "../../outside.Evil" } };
    const { facts } = await parse("config.json", encode(JSON.stringify(config)));
    expect(ofKind(facts, "reference")[0]).toMatchObject({ referenceKind: "module", target: "../../outside.Evil" });
    expect(ofKind(facts, "anomaly")[0]).toMatchObject({ code: "unusual-structure" });
  });
});

describe("chat templates", () => {
  it("tokenizer_config.json chat_template is a jinja code fact; special tokens are vocabulary", async () => {
    const { facts } = await parse("hf-repo-clean/tokenizer_config.json");
    const code = ofKind(facts, "code");
    expect(code).toHaveLength(1);
    expect(code[0]).toMatchObject({ language: "jinja", location: { path: "chat_template" } });
    expect(code[0]!.text).toContain("<|start_header_id|>");
    const vocabulary = ofKind(facts, "text").filter((fact) => fact.role === "vocabulary");
    expect(vocabulary.map((fact) => fact.text)).toContain("<|eot_id|>");
    expect(
      vocabulary.find((fact) => fact.text === "<|eot_id|>" && fact.key?.startsWith("added_tokens_decoder"))?.key,
    ).toBe('added_tokens_decoder["128009"].content');
    expect(ofKind(facts, "text").find((fact) => fact.key === "tokenizer_class")).toMatchObject({
      text: "PreTrainedTokenizerFast",
      role: "config",
    });
  });

  it("the malicious template is emitted whole", async () => {
    const { facts } = await parse("hf-repo-malicious-template/tokenizer_config.json");
    const [code] = ofKind(facts, "code");
    expect(code!.text).toContain("__subclasses__()");
    expect(code!.text).toContain("popen('echo modelaudit-fixture')");
  });

  it("a list of named templates and chat_template.json", async () => {
    const named = {
      chat_template: [
        { name: "default", template: "{{ a }}" },
        { name: "tool_use", template: "{{ b }}" },
      ],
    };
    const { facts } = await parse("tokenizer_config.json", encode(JSON.stringify(named)));
    expect(ofKind(facts, "code").map((fact) => [fact.text, fact.location?.path])).toEqual([
      ["{{ a }}", "chat_template[0].template"],
      ["{{ b }}", "chat_template[1].template"],
    ]);
    const standalone = await parse("chat_template.json", encode('{"chat_template": "{{ messages }}"}'));
    expect(standalone.formats).toEqual(["hf-tokenizer-config"]);
    expect(ofKind(standalone.facts, "code")).toEqual([
      { kind: "code", language: "jinja", text: "{{ messages }}", location: { path: "chat_template" } },
    ]);
  });

  it("a .jinja file is a code fact", async () => {
    const { facts } = await parse("hf-repo-local-code/chat_template.jinja");
    expect(ofKind(facts, "code")).toEqual([
      {
        kind: "code",
        language: "jinja",
        text: new TextDecoder().decode(fixture("hf-repo-local-code/chat_template.jinja")),
        location: { path: "chat_template.jinja" },
      },
    ]);
  });
});

describe("tokenizer.json, generation config, model card, Python", () => {
  it("tokenizer.json vocabulary and added tokens are vocabulary text; merges are skipped", async () => {
    const { facts } = await parse("hf-repo-clean/tokenizer.json");
    const vocabulary = ofKind(facts, "text").filter((fact) => fact.key === "model.vocab");
    expect(vocabulary).toHaveLength(266);
    expect(vocabulary.every((fact) => fact.role === "vocabulary")).toBe(true);
    expect(vocabulary.map((fact) => fact.text)).toContain("\u0120the");
    expect(ofKind(facts, "text").filter((fact) => fact.key?.startsWith("model.merges"))).toEqual([]);
    expect(ofKind(facts, "text").find((fact) => fact.key === "added_tokens[4].content")?.text).toBe("<|eot_id|>");
    expect(
      ofKind(facts, "text").find((fact) => fact.key === "pre_tokenizer.pretokenizers[0].pattern.Regex")?.role,
    ).toBe("config");
  });

  it("a 10 MB Llama-3-sized tokenizer.json (128k tokens, 280k merges) is parsed into one vocabulary fact per token", async () => {
    const vocab: Record<string, number> = {};
    for (let index = 0; index < 128_000; index++)
      vocab[`\u0120tok${index.toString(36)}${"x".repeat(index % 11)}`] = index;
    const merges: string[] = [];
    for (let index = 0; index < 280_000; index++) merges.push(`\u0120t${index.toString(36)} e${index % 977}`);
    const text = JSON.stringify(
      { version: "1.0", truncation: null, added_tokens: [], model: { type: "BPE", vocab, merges } },
      null,
      2,
    );
    const bytes = encode(text);
    expect(bytes.length).toBeGreaterThan(10_000_000);
    const { facts, formats } = await parse("tokenizer.json", bytes);
    expect(formats).toEqual(["hf-tokenizer"]);
    expect(facts.filter((fact) => fact.kind === "text" && fact.key === "model.vocab")).toHaveLength(
      Object.keys(vocab).length,
    );
  });

  it("generation_config.json strings, numbers and booleans are config text; long number arrays are not", async () => {
    const suppress = JSON.stringify(Array.from({ length: 65 }, (_, index) => index));
    const { facts, formats } = await parse(
      "generation_config.json",
      encode(`{"do_sample": true, "temperature": 1e-5, "stop_strings": ["###"], "suppress_tokens": ${suppress}}`),
    );
    expect(formats).toEqual(["hf-generation-config"]);
    expect(ofKind(facts, "text")).toEqual([
      { kind: "text", text: "true", key: "do_sample", role: "config", location: { path: "do_sample" } },
      { kind: "text", text: "0.00001", key: "temperature", role: "config", location: { path: "temperature" } },
      { kind: "text", text: "###", key: "stop_strings[0]", role: "config", location: { path: "stop_strings[0]" } },
    ]);
  });

  it("every non-empty model card line is documentation text; code-block lines are keyed body.code", async () => {
    const card =
      "# Model\n\nTrained with differential privacy (DP-SGD, ε = 8, δ = 1e-5).\n\n```python\nimport torch\n```\nPlain line.\n";
    const { facts } = await parse("README.md", encode(card));
    expect(ofKind(facts, "text").map((fact) => [fact.key, fact.text, fact.location?.line])).toEqual([
      ["body", "# Model", 1],
      ["body", "Trained with differential privacy (DP-SGD, ε = 8, δ = 1e-5).", 3],
      ["body.code", "import torch", 6],
      ["body", "Plain line.", 8],
    ]);
  });

  it("model card front matter and linked lines are documentation text with line numbers", async () => {
    const { facts } = await parse("hf-repo-clean/README.md");
    const texts = ofKind(facts, "text");
    expect(texts.every((fact) => fact.role === "documentation")).toBe(true);
    expect(texts.find((fact) => fact.key === "front-matter.license")).toMatchObject({
      text: "apache-2.0",
      location: { line: 2 },
    });
    expect(texts.filter((fact) => fact.key === "front-matter.datasets").map((fact) => fact.text)).toEqual([
      "HuggingFaceH4/ultrachat_200k",
    ]);
    const body = texts.filter((fact) => fact.key === "body");
    expect(body.map((fact) => fact.text).join("\n")).toContain(
      "https://huggingface.co/docs/transformers/main/en/chat_templating",
    );
    expect(body.every((fact) => fact.text.trim() !== "" && fact.location?.line !== undefined)).toBe(true);
  });

  it("Python source beside the weights is a python code fact", async () => {
    const { facts } = await parse("hf-repo-local-code/modeling_custom.py");
    const [code] = ofKind(facts, "code");
    expect(code).toMatchObject({ language: "python", location: { path: "modeling_custom.py" } });
    expect(code!.text).toContain("class CustomForCausalLM(PreTrainedModel):");
  });
});

describe("never claims what is not a Hugging Face text file", () => {
  it("binary bytes named config.json, tokenizer.json or modeling.py are left alone", async () => {
    const pickle = new Uint8Array([0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x8c, 0x02, 0x6f, 0x73, 0x2e]);
    for (const name of ["config.json", "tokenizer.json", "modeling.py", "chat_template.jinja", "README.md"]) {
      expect((await parse(name, pickle)).formats).toEqual([]);
    }
  });

  it("other JSON is not claimed (safetensors index, XGBoost model)", async () => {
    expect((await parse("model.safetensors.index.json", encode('{"metadata": {}, "weight_map": {}}'))).formats).toEqual(
      [],
    );
    expect((await parse("model.json", encode('{"learner": {}, "version": [1, 7, 4]}'))).formats).toEqual([]);
  });

  it("invalid JSON in a config is malformed and inconclusive", async () => {
    const parsed = await parse("config.json", encode('{"model_type": "llama", "hidden_size": 64,'));
    expect(parsed.inconclusive).toHaveLength(1);
    expect(ofKind(parsed.facts, "anomaly")[0]).toMatchObject({ code: "malformed" });
  });

  it("deep nesting is refused before parsing", async () => {
    const parsed = await parse("config.json", encode(`{"model_type": ${"[".repeat(100_000)}`));
    expect(parsed.inconclusive[0]).toContain("nested deeper than 64");
  });
});

describe("special tokens versus credentials", () => {
  it("labels special-token keys as vocabulary but not hub_token", async () => {
    const { facts } = await parse(
      "config.json",
      encode('{"model_type": "llama", "eos_token": "</s>", "hub_token": "a-credential-value"}'),
    );
    const role = (key: string) => facts.find((fact) => fact.kind === "text" && fact.key === key);
    expect(role("eos_token")).toMatchObject({ role: "vocabulary" });
    expect(role("hub_token")).toMatchObject({ role: "config" });
  });
});
