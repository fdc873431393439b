import { CWE_502, OWASP_ML06, type RuleMeta } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import {
  type RuleDocInput,
  renderRuleDocs,
  renderRuleMarkdown,
  renderRulesIndex,
  renderRuleText,
  ruleDocPath,
  ruleDocsUrl,
  ruleSummary,
  withRuleDocsUrls,
} from "../src/index.js";
import { testPlugin } from "./test-plugin.js";

const asInput = (name: "bad-value" | "odd-value", plugin = "modelaudit-plugin-test"): RuleDocInput => ({
  id: `test/${name}`,
  namespace: "test",
  name,
  plugin,
  meta: testPlugin.rules[name].meta as RuleMeta,
});

const firstParty: RuleDocInput = {
  id: "code-execution/dangerous-global",
  namespace: "code-execution",
  name: "dangerous-global",
  plugin: "@modelaudit/detector-code-execution",
  meta: {
    description: "The pickle imports a callable that runs code. Loading it runs that code.",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation: "Do not load it; convert the weights to safetensors from a trusted copy.",
    references: [CWE_502, OWASP_ML06],
    messages: { global: "imports {{module}}.{{name}} | a pipe", reduce: "calls {{callee}}" },
  },
};

describe("rule docs", () => {
  it("renders what, why, how to fix, messages and references from the metadata", () => {
    const page = renderRuleMarkdown(firstParty);
    expect(page).toContain("# `code-execution/dangerous-global`");
    expect(page).toContain("**Severity:** critical · **Confidence:** 0.95 · **Recommended:** yes");
    expect(page).toContain(
      "## What it finds\n\nThe pickle imports a callable that runs code. Loading it runs that code.",
    );
    expect(page).toMatch(
      /## Why it matters\n\nFindings are critical: .*weakness CWE-502 \(Deserialization of Untrusted Data\); OWASP Machine Learning Security Top 10 risk ML06:2023 \(AI Supply Chain Attacks\)\./,
    );
    expect(page).toContain("## How to fix\n\nDo not load it; convert the weights to safetensors from a trusted copy.");
    expect(page).toContain("| `global` | imports {{module}}.{{name}} \\| a pipe |");
    expect(page).toContain(`- [CWE-502 Deserialization of Untrusted Data](${CWE_502.url})`);
    expect(page).toContain("`--disable-rule code-execution/dangerous-global`");
    // No docs.url of its own: no "More" section, the generated page is its link.
    expect(page).not.toContain("## More");
    expect(ruleDocsUrl(firstParty)).toBe(
      "https://github.com/modelaudit-ts/modelaudit-ts/blob/main/docs/rules/code-execution/dangerous-global.md",
    );
  });

  it("links first-party rules to their page, third-party ones to their own docs link", () => {
    expect(
      ruleDocsUrl({ ...firstParty, meta: { ...firstParty.meta, docs: { url: "https://elsewhere.test/x" } } }),
    ).toBe("https://github.com/modelaudit-ts/modelaudit-ts/blob/main/docs/rules/code-execution/dangerous-global.md");
    expect(ruleDocsUrl(asInput("bad-value"))).toBe("https://example.test/rules#bad-value");
    const linked = withRuleDocsUrls(
      new Map([
        [firstParty.id, firstParty],
        ["test/odd-value", asInput("odd-value")],
      ]),
    );
    expect(linked.get(firstParty.id)!.meta.docs!.url).toBe(ruleDocsUrl(firstParty));
    expect(linked.get("test/odd-value")!.meta.docs).toBeUndefined();
    expect(firstParty.meta.docs).toBeUndefined();
    expect(ruleDocsUrl(asInput("odd-value"))).toBeUndefined();
    expect(renderRuleMarkdown(asInput("bad-value"))).toContain("<https://example.test/rules#bad-value>");
    const pages = renderRuleDocs([firstParty, asInput("bad-value"), asInput("odd-value")]);
    expect([...pages.keys()]).toEqual(["docs/rules/README.md", "docs/rules/code-execution/dangerous-global.md"]);
    expect(ruleDocPath(firstParty)).toBe("docs/rules/code-execution/dangerous-global.md");
  });

  it("lists rules by id with a one-sentence summary in the index", () => {
    const index = renderRulesIndex([firstParty]);
    expect(index).toContain(
      "| [`code-execution/dangerous-global`](code-execution/dangerous-global.md) | critical | yes | The pickle imports a callable that runs code. |",
    );
    expect(ruleSummary({ description: "No sentence end" })).toBe("No sentence end");
    expect(ruleSummary({ description: "Version 1.2 is old. More." })).toBe("Version 1.2 is old.");
  });

  it("renders the same content as text for the terminal, control characters made visible", () => {
    const hostile: RuleDocInput = {
      ...firstParty,
      meta: { ...firstParty.meta, remediation: "fix \u001b[31mnow" },
    };
    const text = renderRuleText(hostile);
    expect(text).toContain("code-execution/dangerous-global  (critical, confidence 0.95)");
    expect(text).toContain("What it finds:\n  The pickle imports");
    expect(text).toContain("How to fix:\n  fix \\x1b[31mnow");
    expect(text).toContain(`  CWE-502 Deserialization of Untrusted Data  ${CWE_502.url}`);
    expect(text).toContain(
      "Documentation: https://github.com/modelaudit-ts/modelaudit-ts/blob/main/docs/rules/code-execution/dangerous-global.md",
    );
    expect(text).not.toContain("\u001b");
  });
});
