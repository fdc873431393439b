/**
 * Well-formed but fake secrets, built at run time from a seeded generator so no literal key sits in
 * the test sources (and secret scanners of the repository itself stay quiet).
 */
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const HEX = "0123456789abcdef";
const BASE64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}-_`;

function generator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function randomString(alphabet: string, length: number, seed: number): string {
  const next = generator(seed * 7919 + length);
  let text = "";
  for (let index = 0; index < length; index++) text += alphabet[Math.floor(next() * alphabet.length)];
  return text;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** One fake secret of each kind, keyed by the rule that must find it. */
export function fakeSecrets(seed = 1) {
  const r = (alphabet: string, length: number, salt: number) => randomString(alphabet, length, seed * 100 + salt);
  const prefix = (a: string, b: string) => a + b; // keeps prefixes and bodies apart in the source
  return {
    awsAccessKey: prefix("AKIA", r(UPPER_DIGITS, 16, 1)),
    awsSecretKey: r(BASE64, 40, 2).replace(/^[+/]/, "Q"),
    openaiProject: prefix("sk-proj-", r(URLSAFE, 120, 3)),
    openaiLegacy: prefix("sk-", `${r(ALNUM, 20, 4)}T3BlbkFJ${r(ALNUM, 20, 5)}`),
    anthropic: prefix("sk-ant-api03-", `${r(URLSAFE, 93, 6)}AA`),
    huggingface: prefix("hf_", r(ALNUM, 34, 7)),
    github: prefix("ghp_", r(ALNUM, 36, 8)),
    githubFineGrained: prefix("github_pat_", `${r(ALNUM, 22, 9)}_${r(ALNUM, 59, 10)}`),
    gitlab: prefix("glpat-", r(URLSAFE.replace("-", ""), 20, 11)),
    slackBot: prefix("xoxb-", `${r("0123456789", 12, 12)}-${r("0123456789", 13, 13)}-${r(ALNUM, 24, 14)}`),
    slackWebhook: prefix(
      "https://hooks.slack.com/services/",
      `T${r(UPPER_DIGITS, 8, 15)}/B${r(UPPER_DIGITS, 8, 16)}/${r(ALNUM, 24, 17)}`,
    ),
    stripeLive: prefix("sk_live_", r(ALNUM, 24, 18)),
    stripePublishable: prefix("pk_live_", r(ALNUM, 24, 19)),
    google: prefix("AIza", r(URLSAFE, 35, 20)),
    azureAccountKey: `${r(BASE64, 86, 21)}==`,
    twilioSid: prefix("AC", r(HEX, 32, 22)),
    sendgrid: prefix("SG.", `${r(URLSAFE, 22, 23)}.${r(URLSAFE, 43, 24)}`),
    npm: prefix("npm_", r(ALNUM, 36, 25)),
    jwt: [
      base64url({ alg: "HS256", typ: "JWT" }),
      base64url({ sub: r(ALNUM, 10, 26), role: "admin", iat: 1_700_000_000 }),
      r(URLSAFE, 43, 27),
    ].join("."),
    dbPassword: r(ALNUM, 16, 28),
    bearer: r(URLSAFE, 40, 29),
    basicPassword: r(ALNUM, 14, 30),
    genericPassword: `${r(ALNUM, 12, 31)}!#`,
    pemBody: r(BASE64, 64 * 12, 32),
  };
}

export function pemKey(label: string, body: string): string {
  const lines = body.match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ""].join("\n");
}
