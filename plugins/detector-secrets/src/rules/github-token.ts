import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "github-token",
  meta: {
    description: "A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_) is embedded in the model.",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation: "Revoke the token in GitHub settings (or the app's installation) and remove it from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#github-token" },
  },
});
