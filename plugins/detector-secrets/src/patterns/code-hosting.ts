import type { SecretPattern } from "../secret-match.js";
import { tokenPattern } from "./token-pattern.js";

const GITHUB_KINDS: Record<string, string> = {
  ghp: "GitHub personal access token",
  gho: "GitHub OAuth access token",
  ghu: "GitHub user-to-server token",
  ghs: "GitHub server-to-server (app installation) token",
  ghr: "GitHub refresh token",
};

export const codeHostingPatterns: SecretPattern[] = [
  tokenPattern({
    name: "github-token",
    rule: "github-token",
    kind: (value) => GITHUB_KINDS[value.slice(0, 3)] ?? "GitHub token",
    regex: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g,
    anchors: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    prefix: /^gh[a-z]_/,
    minEntropy: 3.5,
    severity: "critical",
    confidence: 0.95,
  }),
  tokenPattern({
    name: "github-fine-grained-token",
    rule: "github-token",
    kind: "GitHub fine-grained personal access token",
    regex: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9])/g,
    anchors: ["github_pat_"],
    prefix: /^github_pat_/,
    minEntropy: 3.5,
    severity: "critical",
    confidence: 0.97,
  }),
  tokenPattern({
    name: "gitlab-token",
    rule: "gitlab-token",
    kind: (value) => `GitLab ${value.slice(0, value.indexOf("-"))} token`,
    regex: /(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|ft|imt|cbt|oas|soat|agent|ffct)-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g,
    anchors: [
      "glpat-",
      "gldt-",
      "glrt-",
      "glptt-",
      "glft-",
      "glimt-",
      "glcbt-",
      "gloas-",
      "glsoat-",
      "glagent-",
      "glffct-",
    ],
    prefix: /^gl[a-z]+-/,
    minEntropy: 3.2,
    severity: "critical",
    confidence: 0.9,
  }),
  tokenPattern({
    name: "npm-token",
    rule: "npm-token",
    kind: "npm access token",
    regex: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g,
    anchors: ["npm_"],
    prefix: /^npm_/,
    minEntropy: 3.5,
    severity: "critical",
    confidence: 0.9,
  }),
];
