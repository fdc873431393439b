import type { Fact, Finding } from "@modelaudit/core";
import { factsBytes, factsPlugin, scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { fakePii, grouped, luhnNumber } from "./support/fake-pii.js";

const p = fakePii(2);

async function scanFacts(facts: Fact[], options: Record<string, unknown> = {}): Promise<Finding[]> {
  const report = await scanBytes("facts.bin", factsBytes({ facts }), [factsPlugin, plugin], {
    options: { pii: options },
  });
  return report.findings;
}

function metadata(text: string, key = "__metadata__.note"): Fact {
  return { kind: "text", text, key, role: "metadata", location: { path: key } };
}

interface Case {
  name: string;
  facts: Fact[];
  rule: string;
  severity?: Finding["severity"];
}

const ng: Case[] = [
  {
    name: "Visa in metadata",
    facts: [metadata(`card on file ${grouped(p.visa)}`)],
    rule: "pii/credit-card-number",
    severity: "critical",
  },
  {
    name: "Mastercard, no separators",
    facts: [metadata(`pan=${p.mastercard};`)],
    rule: "pii/credit-card-number",
    severity: "critical",
  },
  { name: "Amex 4-6-5", facts: [metadata(grouped(p.amex))], rule: "pii/credit-card-number", severity: "critical" },
  {
    name: "card in a pickled string",
    facts: [{ kind: "text", text: grouped(p.visa, "-"), role: "string-constant" }],
    rule: "pii/credit-card-number",
    severity: "critical",
  },
  { name: "SSN in config", facts: [metadata(`ssn: ${p.ssn}`)], rule: "pii/us-ssn", severity: "warning" },
  { name: "IBAN compact", facts: [metadata(p.iban)], rule: "pii/iban", severity: "warning" },
  {
    name: "IBAN printed in groups",
    facts: [metadata(`IBAN ${p.iban.match(/.{1,4}/g)?.join(" ")}`)],
    rule: "pii/iban",
    severity: "warning",
  },
  { name: "email", facts: [metadata(`contact ${p.email}`)], rule: "pii/email-address", severity: "info" },
  {
    name: "email followed by a colon and text",
    facts: [metadata(`maintainer ${p.email}: ask before retraining`)],
    rule: "pii/email-address",
    severity: "info",
  },
  { name: "E.164 phone", facts: [metadata("call +14155552671 today")], rule: "pii/phone-number", severity: "info" },
  {
    name: "phone under a phone key",
    facts: [metadata("(415) 555-2671", "customer.mobile")],
    rule: "pii/phone-number",
    severity: "info",
  },
  {
    name: "JSON training row",
    facts: [
      metadata(JSON.stringify({ name: "Quill Marrow", email: p.email, phone: "+44 7911 123987", dob: "1990-02-01" })),
    ],
    rule: "pii/personal-record",
    severity: "warning",
  },
  {
    name: "free-text record",
    facts: [metadata(`Name: Quill Marrow, Email: ${p.email}, Phone: +44 7911 123987, Address: 4 Quarry Close, Leeds`)],
    rule: "pii/personal-record",
    severity: "warning",
  },
  {
    name: "record spread over keyed config facts",
    facts: [
      { kind: "text", text: "Quill Marrow", key: "customers[0].full_name", role: "config" },
      { kind: "text", text: p.email, key: "customers[0].email", role: "config" },
      { kind: "text", text: "12 Birch Lane, Leeds LS2", key: "customers[0].address", role: "config" },
    ],
    rule: "pii/personal-record",
    severity: "warning",
  },
  {
    name: "record spread over pickled strings (key, value, key, value)",
    facts: ["name", "Quill Marrow", "email", p.email, "phone", "+44 7911 123987"].map(
      (text): Fact => ({ kind: "text", text, role: "string-constant" }),
    ),
    rule: "pii/personal-record",
    severity: "warning",
  },
  {
    name: "many distinct addresses: a user list",
    facts: Array.from({ length: 25 }, (_, index) =>
      metadata(`user${index}.quill@fernmail-people.io`, `users[${index}]`),
    ),
    rule: "pii/email-address",
    severity: "warning",
  },
];

const ok: Case[] = [
  { name: "published test card", facts: [metadata("4242 4242 4242 4242")], rule: "pii/credit-card-number" },
  {
    name: "Luhn-invalid card",
    facts: [metadata(grouped(`${p.visa.slice(0, 15)}${(Number(p.visa[15]) + 1) % 10}`))],
    rule: "pii/credit-card-number",
  },
  { name: "digits of a float", facts: [metadata(`lr=0.${luhnNumber("4", 16, 5)}`)], rule: "pii/credit-card-number" },
  {
    name: "digits inside a hash",
    facts: [metadata(`sha=ab${luhnNumber("4", 16, 5)}cd`)],
    rule: "pii/credit-card-number",
  },
  { name: "unknown issuer range", facts: [metadata(luhnNumber("9", 16, 5))], rule: "pii/credit-card-number" },
  {
    name: "card shape in a vocabulary",
    facts: [{ kind: "text", text: p.visa, role: "vocabulary" }],
    rule: "pii/credit-card-number",
  },
  { name: "SSN example", facts: [metadata("ssn 078-05-1120 or 123-45-6789")], rule: "pii/us-ssn" },
  {
    name: "SSN area 9xx / 666 / 000",
    facts: [metadata("ids 912-34-5678 666-12-3456 000-12-3456")],
    rule: "pii/us-ssn",
  },
  { name: "date-like and version strings", facts: [metadata("2023-10-1234 v1.2.3-45-6789a")], rule: "pii/us-ssn" },
  { name: "IBAN registry example", facts: [metadata("GB82 WEST 1234 5698 7654 32")], rule: "pii/iban" },
  { name: "IBAN with a bad checksum", facts: [metadata(`DE00${p.iban.slice(4)}`)], rule: "pii/iban" },
  {
    name: "example domains",
    facts: [metadata("jane@example.com bob@test mail@foo.example.org x@corp.invalid")],
    rule: "pii/email-address",
  },
  {
    name: "password and host of a database URL",
    facts: [metadata("postgresql://trainer:Vq7xLm2@db.ml-platform.acme-corp.net:5432/features")],
    rule: "pii/email-address",
  },
  {
    name: "scp-style git remotes",
    facts: [
      metadata("git@github.com:acme-ml/sentiment-classifier.git", "__metadata__.git_remote"),
      metadata("remote: git@gitlab.acme-corp.com:ml/platform/trainer.git (fetch)"),
      metadata("git@git.sr.ht:~acme/trainer"),
    ],
    rule: "pii/email-address",
  },
  { name: "retina asset names", facts: [metadata("logo@2x.png icon@3x.webp")], rule: "pii/email-address" },
  {
    name: "addresses in a vocabulary",
    facts: [{ kind: "text", text: p.email, role: "vocabulary" }],
    rule: "pii/email-address",
  },
  { name: "bare digits without a phone key", facts: [metadata("4155552671")], rule: "pii/phone-number" },
  { name: "a signed decimal is no phone", facts: [metadata("delta +3.14159265358979")], rule: "pii/phone-number" },
  { name: "fictional 555-01xx", facts: [metadata("+1 415 555 0142")], rule: "pii/phone-number" },
  {
    name: "author and email only (two fields)",
    facts: [metadata(JSON.stringify({ name: "Quill Marrow", email: p.email }))],
    rule: "pii/personal-record",
  },
  {
    name: "config keys named name/address without personal values",
    facts: [metadata(JSON.stringify({ name: "resnet50", address: "0.0.0.0", email: "" }))],
    rule: "pii/personal-record",
  },
  {
    name: "19 distinct addresses stay individual infos",
    facts: Array.from({ length: 19 }, (_, index) =>
      metadata(`user${index}.quill@fernmail-people.io`, `users[${index}]`),
    ),
    rule: "pii/email-address-user-list",
  },
];

describe("ng: each rule fires through the engine", () => {
  it.each(ng.map((entry) => [entry.name, entry] as const))("%s", async (_name, entry) => {
    const findings = await scanFacts(entry.facts);
    const hits = findings.filter((finding) => finding.ruleId === entry.rule);
    expect(hits.length, JSON.stringify(findings.map((f) => [f.ruleId, f.message]))).toBeGreaterThan(0);
    if (entry.severity) expect(hits.map((hit) => hit.severity)).toContain(entry.severity);
    for (const hit of hits) {
      expect(hit.confidence).toBeGreaterThan(0);
      expect(hit.confidence).toBeLessThanOrEqual(1);
      expect(hit.evidence).toBeTruthy();
    }
  });
});

describe("ok: look-alikes stay quiet", () => {
  it.each(ok.map((entry) => [entry.name, entry] as const))("%s", async (_name, entry) => {
    const findings = await scanFacts(entry.facts);
    if (entry.rule === "pii/email-address-user-list") {
      expect(
        findings.filter((finding) => finding.ruleId === "pii/email-address").map((finding) => finding.severity),
      ).toEqual(Array(19).fill("info"));
      return;
    }
    expect(findings.filter((finding) => finding.ruleId === entry.rule)).toEqual([]);
  });
});

describe("grading by context and count", () => {
  it("documentation lowers every kind to info (model cards carry contact details)", async () => {
    const findings = await scanFacts([
      {
        kind: "text",
        text: `Contact ${p.email}, card ${grouped(p.visa)}, ssn ${p.ssn}`,
        role: "documentation",
        location: { line: 3 },
      },
    ]);
    expect(findings.map((finding) => finding.ruleId).sort()).toEqual([
      "pii/credit-card-number",
      "pii/email-address",
      "pii/personal-record",
      "pii/us-ssn",
    ]);
    expect(new Set(findings.map((finding) => finding.severity))).toEqual(new Set(["info"]));
  });

  it("code comments with an author's address are info at most", async () => {
    const findings = await scanFacts([
      { kind: "code", language: "python", text: `# Author: Quill Marrow <${p.email}>\ndef f():\n    return 1\n` },
    ]);
    expect(findings.map((finding) => [finding.ruleId, finding.severity, finding.location?.line])).toEqual([
      ["pii/email-address", "info", 1],
    ]);
  });

  it("noreply-style addresses are info and never count towards a user list", async () => {
    const facts = Array.from({ length: 30 }, (_, index) => metadata(`noreply@service${index}.io`, `senders[${index}]`));
    const findings = await scanFacts(facts);
    expect(findings.length).toBe(30);
    expect(findings.every((finding) => finding.severity === "info" && finding.messageId === "found")).toBe(true);
  });

  it("five distinct SSNs in one artifact are critical; ten records are critical", async () => {
    const ssns = [1, 2, 3, 4, 5].map((seed) => metadata(`id ${fakePii(seed + 10).ssn}`, `rows[${seed}]`));
    const findings = await scanFacts(ssns);
    expect(findings.filter((finding) => finding.ruleId === "pii/us-ssn").map((finding) => finding.severity)).toEqual(
      Array(5).fill("critical"),
    );
    const rows = Array.from({ length: 10 }, (_, index) =>
      JSON.stringify({ name: "Quill Marrow", email: `q${index}@fernmail-people.io`, phone: `+44 7911 12${index}987` }),
    ).join("\n");
    const records = (await scanFacts([metadata(rows)])).filter((finding) => finding.ruleId === "pii/personal-record");
    expect(records.map((finding) => [finding.severity, finding.messageId, finding.message])).toEqual([
      ["critical", "foundMany", '10 personal records with name, email, phone in metadata value "__metadata__.note"'],
    ]);
  });

  it("a value seen as a fact and in raw bytes is one finding at the fact's location", async () => {
    const facts = [metadata(grouped(p.visa), "__metadata__.card")];
    const bytes = factsBytes({ facts });
    const report = await scanBytes("facts.bin", bytes, [factsPlugin, plugin]);
    const cards = report.findings.filter((finding) => finding.ruleId === "pii/credit-card-number");
    expect(cards).toHaveLength(1);
    expect(cards[0]?.location?.path).toBe("__metadata__.card");
  });
});
