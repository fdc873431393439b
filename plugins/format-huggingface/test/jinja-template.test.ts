import { describe, expect, it } from "vitest";
import { encode, ofKind, parse } from "./helpers.js";

const TEMPLATE = "{% for message in messages %}<|{{ message.role }}|>{{ message.content }}{% endfor %}";

describe("Jinja templates on their own", () => {
  it.each(["prompt.j2", "chat.jinja2", "chat.template", "default.tmpl", "chat_template.txt"])(
    "%s is a jinja code fact",
    async (name) => {
      const parsed = await parse(name, encode(TEMPLATE));
      expect(parsed.formats).toEqual(["jinja-template"]);
      expect(ofKind(parsed.facts, "code")).toEqual([
        { kind: "code", language: "jinja", text: TEMPLATE, location: { path: name } },
      ]);
    },
  );

  it("chat_template.jinja stays with the tokenizer-config handler (one claim, one fact)", async () => {
    const parsed = await parse("chat_template.jinja", encode(TEMPLATE));
    expect(parsed.formats).toEqual(["hf-tokenizer-config"]);
    expect(ofKind(parsed.facts, "code")).toHaveLength(1);
  });

  it("any other text file with a Jinja statement tag is a text fact, sniffed by content", async () => {
    const parsed = await parse("system_prompt.txt", encode(`You are helpful.\n${TEMPLATE}\n`));
    expect(parsed.formats).toEqual(["jinja-template"]);
    expect(ofKind(parsed.facts, "text")).toEqual([
      {
        kind: "text",
        text: `You are helpful.\n${TEMPLATE}\n`,
        key: "system_prompt.txt",
        role: "other",
        location: { path: "system_prompt.txt" },
      },
    ]);
  });

  it.each([
    ["a model card with a template example", "README.md", `---\nlicense: mit\n---\n\`\`\`\n${TEMPLATE}\n\`\`\`\n`],
    ["a Python file", "render.py", `import jinja2\nT = "${TEMPLATE}"\n`],
    ["a JSON config", "prompts.json", JSON.stringify({ template: TEMPLATE })],
    ["placeholders without a statement", "notes.txt", "Hello {{ name }}\n"],
    ["braces across lines", "vocab.txt", "{%\nfor\n%}\n"],
    ["binary bytes", "blob.template", "\u0000\u0001\u0002{% for x in y %}"],
  ])("%s is not claimed as a template", async (_what, name, content) => {
    const parsed = await parse(name, encode(content));
    expect(parsed.formats).not.toContain("jinja-template");
  });
});
