import { describe, expect, it } from "vitest";
import { resolveOptions } from "../src/options.js";
import { fakePii, grouped } from "./support/fake-pii.js";
import { runDetector, text } from "./support/run-detector.js";

const p = fakePii(5);

describe("options", () => {
  it("allow takes exact values (as written or normalised) and /regexes/", () => {
    const facts = [text(`card ${grouped(p.visa)} mail ${p.email} ssn ${p.ssn}`)];
    expect(
      runDetector(facts)
        .map((report) => report.rule)
        .sort(),
    ).toEqual(["credit-card-number", "email-address", "personal-record", "us-ssn"]);
    const allowed = runDetector(facts, [], { allow: [grouped(p.visa), "/@fernmail-people\\.io$/", p.ssn] });
    expect(allowed).toEqual([]);
  });

  it("emailThreshold sets when distinct addresses become a user list", () => {
    const facts = Array.from({ length: 5 }, (_, index) =>
      text(`user${index}@fernmail-people.io`, "metadata", `u[${index}]`),
    );
    expect(runDetector(facts).every((report) => report.severity === "info")).toBe(true);
    const listed = runDetector(facts, [], { emailThreshold: 5 });
    expect(listed.map((report) => [report.rule, report.messageId, report.severity])).toEqual([
      ["email-address", "userList", "warning"],
    ]);
  });

  it("ignoreDomains adds domains (subdomains included) to the reserved ones", () => {
    const facts = [text("quill@corp.internal-mail.net and jane@example.com")];
    expect(runDetector(facts)).toHaveLength(1);
    expect(runDetector(facts, [], { ignoreDomains: ["internal-mail.net"] })).toEqual([]);
  });

  it("bad entries are reported as problems and never stop a scan", () => {
    const resolved = resolveOptions({
      allow: ["/([/", 3],
      emailThreshold: -1,
      ignoreDomains: ["bad domain"],
      maxFindings: "x",
    });
    expect(resolved.problems).toHaveLength(5);
    expect(resolved.emailThreshold).toBe(20);
    expect(resolved.maxFindings).toBe(200);
    expect(() => runDetector([text(p.email)], [], { allow: ["/([/"] })).not.toThrow();
  });

  it("maxFindings caps findings per artifact, worst first", () => {
    const facts = [text(`mail ${p.email}`), text(`card ${grouped(p.visa)}`), text(`ssn ${p.ssn}`)];
    expect(runDetector(facts, [], { maxFindings: 1 }).map((report) => report.rule)).toEqual(["credit-card-number"]);
  });
});
