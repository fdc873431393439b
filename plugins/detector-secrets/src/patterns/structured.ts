import { characterClasses, shannonEntropy } from "../entropy.js";
import { isPlaceholder } from "../placeholders.js";
import { redactSecret } from "../redaction.js";
import type { SecretMatch, SecretPattern } from "../secret-match.js";
import { isRandomKeyMaterial, parseOpenSshKey } from "./openssh-key.js";

const PEM_BODY_LIMIT = 16 * 1024;
/** Values people put where a password goes in examples. */
const PLACEHOLDER_PASSWORDS = new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "secret",
  "changeme",
  "mypassword",
  "yourpassword",
  "pa55word",
  "p@ssw0rd",
  "user",
  "username",
  "admin",
  "root",
  "test",
  "postgres",
  "guest",
]);
const LOCAL_HOSTS =
  /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|host|hostname|example\.\w+|[\w.-]+\.example|[\w.-]*\.local|db|database)(?::\d+)?$/i;

function passwordIsPlaceholder(password: string): boolean {
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // keep the raw text: a malformed escape is still a value
  }
  return (
    decoded.length < 3 ||
    PLACEHOLDER_PASSWORDS.has(decoded.toLowerCase()) ||
    /^[*x•.]+$/i.test(decoded) ||
    /^[$%{<[]/.test(decoded) ||
    isPlaceholder(decoded)
  );
}

function decodeBase64Url(text: string): string | null {
  try {
    const normalised = text.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Buffer.from(normalised, "base64");
    return bytes.toString("utf8");
  } catch {
    return null;
  }
}

function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null || !text.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function base(match: RegExpExecArray, fields: Omit<SecretMatch, "index" | "length">): SecretMatch {
  return { ...fields, index: match.index, length: match[0].length };
}

export const structuredPatterns: SecretPattern[] = [
  {
    name: "private-key",
    regex: /-----BEGIN ((?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?)-----/g,
    anchors: ["PRIVATE KEY"],
    judge(match, context) {
      const label = match[1] as string;
      const after = context.text.slice(match.index + match[0].length, match.index + match[0].length + PEM_BODY_LIMIT);
      // Armour headers (Proc-Type, DEK-Info, Version, Comment) may precede the base64 body.
      // Newlines may be escaped (`\n`) when the key sits inside JSON read as raw bytes.
      const headers = /^(?:(?:\s|\\[nr])*[A-Za-z-]+: [^\r\n\\]*)*/.exec(after)?.[0] ?? "";
      const bodyMatch = /^(?:[\sA-Za-z0-9+/=]|\\[nr])*/.exec(after.slice(headers.length));
      const body = (bodyMatch?.[0] ?? "").replace(/\s+|\\[nr]/g, "");
      const rest = after.slice(headers.length + (bodyMatch?.[0].length ?? 0));
      if (body.length < 64) return null; // armour without a key: documentation
      // An OpenSSH key's fixed header encodes to runs of `A`: judge its key material, not its text.
      const openSsh = label === "OPENSSH PRIVATE KEY" ? parseOpenSshKey(body) : undefined;
      const sketch = openSsh ? !isRandomKeyMaterial(openSsh.publicKey) : isPlaceholder(body.slice(0, 256));
      if (sketch || (/^\s*(?:\.\.\.|…|<)/.test(rest) && body.length < 128)) return null;
      const encrypted =
        label.includes("ENCRYPTED") ||
        /Proc-Type:\s*4,ENCRYPTED/.test(headers) ||
        (openSsh !== undefined && openSsh.cipher !== "none");
      const end = rest.startsWith("-----END") ? rest.indexOf("-----", 8) + 5 : 0;
      return {
        rule: "private-key",
        messageId: encrypted ? "encryptedKey" : "found",
        kind: openSsh ? `${label} (${openSsh.keyType.slice(0, 32)})` : `${label} (PEM)`,
        // OpenSSH bodies of one key type share their first 100 characters: the public key tells keys apart.
        value: `${label}:${openSsh ? Buffer.from(openSsh.publicKey).toString("base64") : body.slice(0, 96)}`,
        evidence: `-----BEGIN ${label}----- ${redactSecret(body)}`,
        index: match.index,
        length: match[0].length + headers.length + (bodyMatch?.[0].length ?? 0) + Math.max(0, end),
        severity: encrypted ? "warning" : "critical",
        confidence: encrypted ? 0.9 : 0.97,
      };
    },
  },
  {
    name: "jwt",
    regex: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g,
    anchors: ["eyJ"],
    judge(match) {
      const [header, payload, signature] = match[0].split(".") as [string, string, string];
      const headerObject = parseJsonObject(decodeBase64Url(header));
      if (!headerObject || typeof headerObject.alg !== "string" || headerObject.alg.toLowerCase() === "none")
        return null;
      const payloadObject = parseJsonObject(decodeBase64Url(payload));
      if (!payloadObject) return null;
      if (isPlaceholder(signature) || isPlaceholder(payload)) return null;
      const expiry = typeof payloadObject.exp === "number" ? payloadObject.exp : undefined;
      const expired = expiry !== undefined && expiry * 1000 < Date.now();
      return base(match, {
        rule: "jwt",
        messageId: expired ? "expired" : "found",
        kind: `JSON Web Token (${headerObject.alg.slice(0, 16)})`,
        value: match[0],
        evidence: redactSecret(match[0]),
        severity: expired ? "info" : "warning",
        confidence: expired ? 0.7 : 0.85,
      });
    },
  },
  {
    name: "database-url",
    regex:
      /(?<![A-Za-z0-9+.-])(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|clickhouse|kafka|cockroachdb|couchdbs?|neo4j(?:\+s)?|bolt|memcached|cassandra|jdbc:[a-z]+)((?:\+[a-z0-9]+)?):\/\/([^\s:/@'"`<>]{0,128}):([^\s@/'"`<>]{1,256})@([^\s/'"`<>?#,;]{1,256})/g,
    anchors: ["://"],
    judge(match) {
      const [, scheme, driver, user, password, host] = match as unknown as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      if (passwordIsPlaceholder(password) || isPlaceholder(user) || isPlaceholder(host)) return null;
      const local = LOCAL_HOSTS.test(host);
      return base(match, {
        rule: "database-url",
        messageId: "found",
        kind: `${scheme} connection URL with a password`,
        value: match[0],
        evidence: `${scheme}${driver}://${user}:${redactSecret(password)}@${host}`,
        severity: local ? "warning" : "critical",
        confidence: local ? 0.6 : 0.9,
      });
    },
  },
  {
    name: "url-credential",
    regex:
      /(?<![A-Za-z0-9+.-])(https?|ftps?|sftp|ssh|git|smtps?|ldaps?|wss?):\/\/([^\s:/@'"`<>]{1,128}):([^\s@/'"`<>]{1,256})@([^\s/'"`<>?#,;]{1,256})/g,
    anchors: ["://"],
    judge(match) {
      const [, scheme, user, password, host] = match as unknown as [string, string, string, string, string];
      if (passwordIsPlaceholder(password) || isPlaceholder(user) || isPlaceholder(host)) return null;
      return base(match, {
        rule: "basic-credential",
        messageId: "urlCredential",
        kind: `${scheme} URL with a user name and password`,
        value: match[0],
        evidence: `${scheme}://${user}:${redactSecret(password)}@${host}`,
        severity: LOCAL_HOSTS.test(host) ? "info" : "warning",
        confidence: 0.75,
      });
    },
  },
  {
    name: "bearer-credential",
    regex: /(?<![A-Za-z0-9])[Bb]earer\s+([A-Za-z0-9._~+/-]{20,4096}=*)(?![A-Za-z0-9._~+/=-])/g,
    anchors: ["earer"],
    judge(match) {
      const token = match[1] as string;
      if (isPlaceholder(token) || shannonEntropy(token) < 3.5 || characterClasses(token) < 2) return null;
      return base(match, {
        rule: "bearer-credential",
        messageId: "found",
        kind: "Bearer token",
        value: token,
        evidence: `Bearer ${redactSecret(token)}`,
        severity: "warning",
        confidence: 0.75,
      });
    },
  },
  {
    name: "basic-credential",
    regex: /(?<![A-Za-z0-9])[Bb]asic\s+([A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/g,
    anchors: ["asic"],
    judge(match) {
      const encoded = match[1] as string;
      if (encoded.length % 4 === 1) return null;
      const decoded = Buffer.from(encoded, "base64").toString("latin1");
      // Only user:password in printable ASCII is a credential; anything else is a word after "basic".
      const pair = /^([\x20-\x39\x3b-\x7e]{1,128}):([\x20-\x7e]{3,256})$/.exec(decoded);
      if (!pair || passwordIsPlaceholder(pair[2] as string) || isPlaceholder(decoded)) return null;
      return base(match, {
        rule: "basic-credential",
        messageId: "found",
        kind: "HTTP Basic credentials",
        value: encoded,
        evidence: `Basic ${redactSecret(encoded)}`,
        severity: "warning",
        confidence: 0.8,
      });
    },
  },
];
