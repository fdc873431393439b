import type { TextFact } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { fakeSecrets, pemKey, randomString } from "./support/fake-secrets.js";
import { runDetector } from "./support/run-detector.js";

const s = fakeSecrets();
const b64 = (text: string) => Buffer.from(text).toString("base64");
const encode = (text: string) => new TextEncoder().encode(text);

interface Case {
  name: string;
  text: string;
  key?: string;
  role?: TextFact["role"];
  /** Whether raw bytes alone must find it too (structured patterns only). */
  rawBytes?: boolean;
  severity?: "critical" | "warning" | "info";
}

/** ng: each must yield a finding of its rule. */
const NG: Record<string, Case[]> = {
  "aws-access-key": [{ name: "bare id", text: `id ${s.awsAccessKey} here`, rawBytes: true, severity: "critical" }],
  "aws-secret-key": [
    { name: "named secret", text: `aws_secret_access_key = ${s.awsSecretKey}`, rawBytes: true },
    { name: "value of a secret key", text: s.awsSecretKey, key: "config.SecretAccessKey" },
  ],
  "aws-key-pair": [
    {
      name: "env lines",
      text: `AWS_ACCESS_KEY_ID=${s.awsAccessKey}\nAWS_SECRET_ACCESS_KEY=${s.awsSecretKey}`,
      rawBytes: true,
    },
    { name: "json", text: JSON.stringify({ id: s.awsAccessKey, key: s.awsSecretKey }), severity: "critical" },
  ],
  "openai-api-key": [
    { name: "project key", text: `OPENAI_API_KEY=${s.openaiProject}`, rawBytes: true, severity: "critical" },
    { name: "legacy key", text: `"${s.openaiLegacy}"`, rawBytes: true },
    {
      name: "service account key",
      text: `sk-svcacct-${randomString("abcdefghijKLMNOP0123456789_-", 64, 3)}`,
      rawBytes: true,
    },
  ],
  "anthropic-api-key": [{ name: "api03 key", text: `key: ${s.anthropic}`, rawBytes: true }],
  "huggingface-token": [{ name: "hf token", text: `HF_TOKEN=${s.huggingface}`, rawBytes: true }],
  "github-token": [
    { name: "classic pat", text: `token ${s.github}`, rawBytes: true },
    { name: "fine-grained pat", text: s.githubFineGrained, rawBytes: true },
  ],
  "gitlab-token": [{ name: "glpat", text: `private_token=${s.gitlab}`, rawBytes: true }],
  "slack-token": [{ name: "bot token", text: s.slackBot, rawBytes: true }],
  "slack-webhook": [{ name: "webhook", text: `notify: ${s.slackWebhook}`, rawBytes: true }],
  "stripe-key": [
    { name: "live secret key", text: s.stripeLive, rawBytes: true, severity: "critical" },
    { name: "publishable key is info", text: s.stripePublishable, severity: "info" },
  ],
  "google-api-key": [{ name: "AIza key", text: `maps_key=${s.google}`, rawBytes: true }],
  "azure-storage-key": [{ name: "account key alone", text: `AccountKey=${s.azureAccountKey}`, rawBytes: true }],
  "azure-connection-string": [
    {
      name: "storage connection string",
      text: `DefaultEndpointsProtocol=https;AccountName=models01;AccountKey=${s.azureAccountKey};EndpointSuffix=core.windows.net`,
      rawBytes: true,
    },
  ],
  "twilio-credential": [
    { name: "account sid beside twilio", text: `twilio_account_sid = ${s.twilioSid}`, rawBytes: true },
  ],
  "sendgrid-api-key": [{ name: "SG key", text: s.sendgrid, rawBytes: true }],
  "npm-token": [{ name: "npm token", text: `//registry.npmjs.org/:_authToken=${s.npm}`, rawBytes: true }],
  "private-key": [
    { name: "RSA", text: pemKey("RSA PRIVATE KEY", s.pemBody), rawBytes: true, severity: "critical" },
    { name: "PKCS#8", text: pemKey("PRIVATE KEY", s.pemBody), rawBytes: true },
    { name: "EC", text: pemKey("EC PRIVATE KEY", s.pemBody), rawBytes: true },
    { name: "OpenSSH", text: pemKey("OPENSSH PRIVATE KEY", s.pemBody), rawBytes: true },
    { name: "encrypted is a warning", text: pemKey("ENCRYPTED PRIVATE KEY", s.pemBody), severity: "warning" },
    {
      name: "PGP",
      text: pemKey("PGP PRIVATE KEY BLOCK", s.pemBody).replace("\n", "\nVersion: GnuPG v2\n\n"),
      rawBytes: true,
    },
    { name: "JSON-escaped newlines", text: JSON.stringify(pemKey("RSA PRIVATE KEY", s.pemBody)), rawBytes: true },
  ],
  jwt: [{ name: "signed token", text: `auth=${s.jwt}`, rawBytes: true, severity: "warning" }],
  "database-url": [
    {
      name: "postgres",
      text: `postgres://svc:${s.dbPassword}@db.prod.corp:5432/app`,
      rawBytes: true,
      severity: "critical",
    },
    { name: "mongodb+srv", text: `mongodb+srv://app:${s.dbPassword}@cluster0.abcde.mongodb.net/db`, rawBytes: true },
    { name: "redis", text: `rediss://default:${s.dbPassword}@cache.internal:6380/0`, rawBytes: true },
    { name: "amqp", text: `amqp://worker:${s.dbPassword}@mq.internal:5672/`, rawBytes: true },
    { name: "sqlalchemy driver", text: `mysql+pymysql://root2:${s.dbPassword}@10.1.2.3/db`, rawBytes: true },
    { name: "localhost is a warning", text: `postgresql://dev:${s.dbPassword}@localhost/db`, severity: "warning" },
  ],
  "bearer-credential": [{ name: "authorization header", text: `Authorization: Bearer ${s.bearer}`, rawBytes: true }],
  "basic-credential": [
    { name: "basic header", text: `Authorization: Basic ${b64(`deploy:${s.basicPassword}`)}`, rawBytes: true },
    { name: "URL credentials", text: `https://deploy:${s.basicPassword}@artifacts.corp.net/models` },
  ],
  "generic-credential": [
    { name: "key=value", text: `db_password=${s.genericPassword}` },
    { name: "json pair", text: `{"client_secret": "${s.genericPassword}"}` },
    { name: "yaml pair", text: `api_key: ${s.genericPassword}` },
    { name: "keyed value", text: s.genericPassword, key: "training.credentials.password" },
    { name: "python code", text: `PASSWORD = "${s.genericPassword}"`, role: "string-constant" },
  ],
};

/** ok: none of these may yield any finding. */
const OK: Record<string, string[]> = {
  "aws-access-key": ["AKIAIOSFODNN7EXAMPLE", "AKIA0000000000000000", "AKIAABCDEFGHIJKLMNOP", "id AKIA123 short"],
  "aws-secret-key": [
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    `sha = ${"0123456789abcdef".repeat(2)}01234567`,
    `checksum ${s.awsSecretKey}`,
  ],
  "openai-api-key": [
    "sk-...",
    "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "OPENAI_API_KEY=sk-your-key-here",
  ],
  "anthropic-api-key": ["sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "sk-ant-..."],
  "huggingface-token": ["hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "hf_hub_download", "use hf_transfer"],
  "github-token": [
    "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "ghp_<token>",
  ],
  "gitlab-token": ["glpat-xxxxxxxxxxxxxxxxxxxx", "glpat-<your-token>"],
  "slack-webhook": ["https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"],
  "stripe-key": ["sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"],
  "private-key": [
    "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
    "-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----",
    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB\n-----END PUBLIC KEY-----",
  ],
  jwt: [
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "eyJub3QiOiJhIGp3dCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl",
  ],
  "database-url": [
    "postgres://user:password@localhost:5432/db",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal template placeholder is the input under test
    "mysql://root:${MYSQL_PASSWORD}@db/app",
    "mongodb://admin:<password>@host:27017",
    "redis://localhost:6379/0",
    "postgresql://user@db.example.com/app",
  ],
  "bearer-credential": [
    "Authorization: Bearer <YOUR_TOKEN>",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal template placeholder is the input under test
    "Bearer ${TOKEN}",
    "bearer token authentication is supported",
  ],
  "basic-credential": ["Basic authentication", `Authorization: Basic ${b64("user:password")}`],
  "generic-credential": [
    "password = hunter2",
    'password: "changeme"',
    "api_key = os.environ['API_KEY']",
    'secret_name: "training-creds"',
    "password_env: DB_PASSWORD",
    "password_file=/run/secrets/db",
    'api_key="your-api-key"',
    "access_token = get_token()",
    'client_secret = "{{ client_secret }}"',
    "secret = REDACTED",
    "The password must be at least 8 characters.",
    "pad_token: <pad>",
  ],
};

describe("ng cases: every rule finds its secrets", () => {
  for (const [rule, cases] of Object.entries(NG)) {
    for (const testCase of cases) {
      it(`${rule}: ${testCase.name}`, () => {
        const fact: TextFact = { kind: "text", text: testCase.text, role: testCase.role ?? "config" };
        if (testCase.key !== undefined) fact.key = testCase.key;
        const reports = runDetector([fact]);
        const hit = reports.find((report) => report.rule === rule);
        expect(hit, JSON.stringify(reports.map((report) => report.rule))).toBeDefined();
        expect(hit?.confidence).toBeGreaterThan(0);
        expect(hit?.confidence).toBeLessThanOrEqual(1);
        if (testCase.severity) expect(hit?.severity).toBe(testCase.severity);
        if (testCase.rawBytes) {
          const raw = runDetector([], [encode(`\u0000\u0001${testCase.text}\u0002`)]);
          expect(
            raw.map((report) => report.rule),
            "raw bytes",
          ).toContain(rule);
        }
      });
    }
  }
});

describe("ok cases: placeholders, examples and look-alikes never fire", () => {
  for (const [rule, texts] of Object.entries(OK)) {
    for (const text of texts) {
      it(`${rule}: ${text.slice(0, 60)}`, () => {
        expect(runDetector([{ kind: "text", text, role: "config" }])).toEqual([]);
        expect(runDetector([{ kind: "text", text, role: "documentation" }])).toEqual([]);
        expect(runDetector([], [encode(text)])).toEqual([]);
      });
    }
  }
});
