import { describe, expect, it } from "vitest";
import { resolveOptions } from "../src/options.js";
import { fakeSecrets } from "./support/fake-secrets.js";
import { runDetector } from "./support/run-detector.js";

const s = fakeSecrets(4);
const encode = (text: string) => new TextEncoder().encode(text);

describe("options", () => {
  it("patterns: a user pattern reports under custom-pattern with its severity, on facts and raw bytes", () => {
    const options = {
      patterns: [{ id: "acme", regex: "acme_[a-z0-9]{24}", severity: "critical", description: "ACME deploy key" }],
    };
    const value = "acme_k3j9x0c2m4n8b1v7z5q6w2e9";
    const fromFact = runDetector([{ kind: "text", text: `deploy ${value}`, role: "config" }], [], options);
    expect(fromFact.map((report) => [report.rule, report.severity])).toEqual([["custom-pattern", "critical"]]);
    expect(String(fromFact[0]?.data?.kind)).toContain("acme");
    expect(fromFact[0]?.evidence?.includes(value)).toBe(false);
    const fromBytes = runDetector([], [encode(`\u0000${value}\u0000padding`)], options);
    expect(fromBytes.map((report) => report.rule)).toEqual(["custom-pattern"]);
  });

  it("allow: exact values and /regex/ entries silence matches", () => {
    const text = `${s.github} ${s.huggingface}`;
    expect(runDetector([{ kind: "text", text, role: "config" }]).length).toBe(2);
    const exact = runDetector([{ kind: "text", text, role: "config" }], [], { allow: [s.github] });
    expect(exact.map((report) => report.rule)).toEqual(["huggingface-token"]);
    const expression = runDetector([{ kind: "text", text, role: "config" }], [], { allow: ["/^hf_/"] });
    expect(expression.map((report) => report.rule)).toEqual(["github-token"]);
  });

  it("bad options never stop a scan: they are skipped and listed as problems", () => {
    const resolved = resolveOptions({ patterns: [{ id: "bad", regex: "(" }, { regex: 5 }, "x"], allow: ["/(/", 3] });
    expect(resolved.patterns).toEqual([]);
    expect(resolved.problems).toHaveLength(5);
    expect(() =>
      runDetector([{ kind: "text", text: s.github }], [], { patterns: [{ regex: "(" }], allow: "nope" }),
    ).not.toThrow();
  });

  it("maxFindings bounds what one artifact reports", () => {
    const text = Array.from({ length: 20 }, (_, index) => fakeSecrets(index + 10).github).join("\n");
    expect(runDetector([{ kind: "text", text }], [], { maxFindings: 5 })).toHaveLength(5);
  });
});
