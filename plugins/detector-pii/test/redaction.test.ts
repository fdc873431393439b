import type { Fact } from "@modelaudit/core";
import { factsBytes, factsPlugin, scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { redactCard, redactEmail, redactIban, redactSsn, scrub } from "../src/redaction.js";
import { fakePii, grouped } from "./support/fake-pii.js";

const p = fakePii(4);

describe("redaction", () => {
  it("shows only what helps find a value again", () => {
    expect(redactCard(p.visa, "Visa")).toBe(`************${p.visa.slice(-4)} (Visa)`);
    expect(redactEmail("jane.doe@example.org")).toBe("j***@example.org");
    expect(redactSsn("1234")).toBe("***-**-1234");
    expect(redactIban(p.iban)).toBe(`DE** **** … ${p.iban.slice(-4)}`);
    expect(scrub(`rows["${p.email}"].card ${p.visa}`)).not.toContain(p.email);
    expect(scrub(`rows["${p.email}"].card ${p.visa}`)).not.toContain(p.visa);
  });

  it("never puts a full value anywhere in the serialised report (evidence, message, location, raw bytes)", async () => {
    const record = JSON.stringify({
      name: "Quill Marrow",
      email: p.email,
      phone: p.phone,
      ssn: p.ssn,
      card: grouped(p.visa),
    });
    const facts: Fact[] = [
      { kind: "text", text: record, key: "__metadata__.sample", role: "metadata" },
      // A dict keyed by the address and an account number: the key itself is personal data.
      {
        kind: "text",
        text: p.iban,
        key: `accounts["${p.email}"].${p.mastercard}`,
        role: "config",
        location: { path: `accounts["${p.email}"]` },
      },
      { kind: "text", text: `Maintainer ${p.email}`, role: "documentation" },
      { kind: "code", language: "python", text: `# ${p.email}\nCARD = "${p.amex}"\n` },
    ];
    const report = await scanBytes(
      "facts.bin",
      factsBytes({ facts, children: [{ name: "raw.txt", text: `${record}\n${p.iban}\n` }] }),
      [factsPlugin, plugin],
    );
    const rules = new Set(report.findings.map((finding) => finding.ruleId));
    for (const rule of [
      "pii/credit-card-number",
      "pii/email-address",
      "pii/iban",
      "pii/us-ssn",
      "pii/phone-number",
      "pii/personal-record",
    ]) {
      expect(rules, rule).toContain(rule);
    }
    const json = JSON.stringify(report);
    const phoneDigits = p.phone.replace(/\D/g, "");
    for (const value of [
      p.email,
      p.visa,
      grouped(p.visa),
      p.mastercard,
      p.amex,
      p.ssn,
      p.ssn.replace(/-/g, ""),
      p.iban,
      p.phone,
      phoneDigits,
    ]) {
      expect(json.includes(value), value).toBe(false);
    }
  });
});
