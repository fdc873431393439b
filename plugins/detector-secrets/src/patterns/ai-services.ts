import type { SecretPattern } from "../secret-match.js";
import { tokenPattern } from "./token-pattern.js";

export const aiServicePatterns: SecretPattern[] = [
  tokenPattern({
    name: "openai-project-key",
    rule: "openai-api-key",
    kind: (value) => `OpenAI ${value.split("-")[1]} API key`,
    regex: /(?<![A-Za-z0-9_-])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])/g,
    anchors: ["sk-proj-", "sk-svcacct-", "sk-admin-"],
    prefix: /^sk-[a-z]+-/,
    minEntropy: 3.5,
    severity: "critical",
    confidence: 0.95,
  }),
  tokenPattern({
    name: "openai-legacy-key",
    rule: "openai-api-key",
    kind: "OpenAI API key",
    regex: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9]{48}(?![A-Za-z0-9_-])/g,
    anchors: ["sk-"],
    prefix: /^sk-/,
    minEntropy: 3.5,
    severity: "critical",
    // Keys of this era carry `T3BlbkFJ` (base64 of "OpenAI") in the middle.
    confidence: 0.85,
    refine: (value) => (value.includes("T3BlbkFJ") ? { confidence: 0.98 } : undefined),
  }),
  tokenPattern({
    name: "anthropic-api-key",
    rule: "anthropic-api-key",
    kind: (value) => (value.startsWith("sk-ant-admin") ? "Anthropic admin API key" : "Anthropic API key"),
    regex: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g,
    anchors: ["sk-ant-"],
    prefix: /^sk-ant-[a-z]+\d{2}-/,
    minEntropy: 3.5,
    severity: "critical",
    confidence: 0.97,
  }),
  tokenPattern({
    name: "huggingface-token",
    rule: "huggingface-token",
    kind: "Hugging Face access token",
    regex: /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{34,}(?![A-Za-z0-9])/g,
    anchors: ["hf_"],
    prefix: /^hf_/,
    minEntropy: 3.5,
    severity: "critical",
    confidence: 0.9,
  }),
];
