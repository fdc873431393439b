import { readFileSync } from "node:fs";
import { compareSeverity } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { scanValues, type TextValue } from "./text-value-handler.js";

const metadata = (text: string): TextValue => ({ text, key: "__metadata__.prompt", role: "metadata" });
const templates = new URL("../../../tooling/fixtures/templates/", import.meta.url);

describe("Jinja in any string value", () => {
  const ok: [string, TextValue][] = [
    ["a prompt template with placeholders", metadata("Summarize: {{ text }}\n{% if lang %}in {{ lang }}{% endif %}")],
    ["a Mustache template (does not parse: not reported)", metadata("Hello {{#people}}{{name}}{{/people}}")],
    ["a str.format string with escaped braces", metadata("f({{x}}) = {value}")],
    ["braces across lines of a vocabulary", { text: "{{\n}}", key: "vocab", role: "vocabulary" }],
    [
      "a real chat template as a config value",
      metadata(readFileSync(new URL("benign_llama31_tools.jinja", templates), "utf8")),
    ],
  ];
  for (const [name, value] of ok) {
    it(`ok: ${name}`, async () => {
      const report = await scanValues([value]);
      expect(report.findings.filter((finding) => finding.severity !== "info").map((f) => f.message)).toEqual([]);
    });
  }

  it("every benign chat template of the fixture set, as a metadata value, stays below warning", async () => {
    const manifest: { file: string; expect: string }[] = JSON.parse(
      readFileSync(new URL("manifest.json", templates), "utf8"),
    );
    const benign = manifest.filter((entry) => entry.expect === "clean");
    expect(benign.length).toBeGreaterThanOrEqual(8);
    const report = await scanValues(
      benign.map((entry) => metadata(readFileSync(new URL(entry.file, templates), "utf8"))),
    );
    expect(report.findings.filter((finding) => finding.severity !== "info").map((f) => f.message)).toEqual([]);
  });

  it("ng: a sandbox escape in a metadata value is critical, at the value's path", async () => {
    const report = await scanValues([
      metadata("{{ ''.__class__.__base__.__subclasses__()[133].__init__.__globals__['popen']('id').read() }}"),
    ]);
    const worst = report.findings.map((finding) => finding.severity).sort(compareSeverity)[0];
    expect(worst).toBe("critical");
    expect(report.findings.map((finding) => finding.ruleId)).toContain("template-injection/sandbox-escape");
    expect(report.findings[0]?.location?.path).toBe("__metadata__.prompt");
  });

  it("ng: an escape in a template that does not parse is still found in its tags", async () => {
    const report = await scanValues([metadata("{% with x = cycler.__init__.__globals__ %}{{ x.os }}{% endwith %}{{")]);
    expect(report.findings.map((finding) => finding.ruleId)).toContain("template-injection/sandbox-escape");
    expect(report.findings.map((finding) => finding.ruleId)).not.toContain("template-injection/unparsable-template");
  });

  it("a template in documentation is only noted", async () => {
    const report = await scanValues([
      { text: "{{ self.__init__.__globals__.__builtins__ }}", key: "body", role: "documentation" },
    ]);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((finding) => finding.severity === "info")).toBe(true);
  });
});
