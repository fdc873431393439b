import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "slack-webhook",
  meta: {
    description: "A Slack incoming webhook URL, which lets anyone post into a workspace, is embedded in the model.",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation: "Regenerate the webhook in Slack and remove the URL from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#slack-webhook" },
  },
});
