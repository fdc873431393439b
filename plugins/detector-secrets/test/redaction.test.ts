import { scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { fakeSecrets, pemKey } from "./support/fake-secrets.js";
import { testHandlers } from "./support/test-handlers.js";

const s = fakeSecrets(9);

describe("redaction: no secret ever appears in the report", () => {
  it("JSON report of a config full of secrets holds no secret value, and every finding has evidence and confidence", async () => {
    const secrets = [
      s.awsAccessKey,
      s.awsSecretKey,
      s.openaiProject,
      s.anthropic,
      s.github,
      s.jwt,
      s.dbPassword,
      s.genericPassword,
      s.pemBody.slice(0, 200),
      s.sendgrid,
      s.bearer,
    ];
    const config = {
      aws_access_key_id: s.awsAccessKey,
      aws_secret_access_key: s.awsSecretKey,
      openai: s.openaiProject,
      anthropic: s.anthropic,
      github: s.github,
      session: s.jwt,
      db: `postgresql://svc:${s.dbPassword}@db.prod.corp/app`,
      password: s.genericPassword,
      key: pemKey("RSA PRIVATE KEY", s.pemBody),
      mail: s.sendgrid,
      headers: `Authorization: Bearer ${s.bearer}`,
    };
    const report = await scanBytes("config.json", new TextEncoder().encode(JSON.stringify(config)), [
      testHandlers,
      plugin,
    ]);
    const json = JSON.stringify(report);
    for (const secret of secrets) expect(json.includes(secret), secret.slice(0, 6)).toBe(false);
    // No window of 12 characters of any secret body leaks either.
    for (const secret of secrets) {
      for (let start = 0; start + 12 <= Math.min(secret.length, 60); start += 6) {
        expect(json.includes(secret.slice(start, start + 12)), `${secret.slice(0, 4)}@${start}`).toBe(false);
      }
    }
    expect(report.findings.length).toBeGreaterThanOrEqual(10);
    for (const finding of report.findings) {
      expect(finding.evidence).toMatch(/\*/);
      expect(finding.confidence).toBeGreaterThan(0);
    }
  });
});
