import { defineRule } from "@modelaudit/core";

export default defineRule({
  meta: {
    description: "A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_) is embedded in the model.",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation: "Revoke the token in GitHub settings (or the app's installation) and remove it from the model.",
    references: ["CWE-798", "CWE-312", "OWASP ML06:2023 AI Supply Chain Attacks"],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#github-token" },
  },
});
