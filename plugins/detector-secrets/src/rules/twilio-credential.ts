import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "twilio-credential",
  meta: {
    description:
      "A Twilio account SID or API key SID (AC/SK followed by 32 hex digits) appears next to a Twilio reference.",
    severity: "warning",
    confidence: 0.7,
    recommended: true,
    remediation:
      "Check whether the matching auth token or API secret is also shipped; rotate it in the Twilio console and remove both.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#twilio-credential",
    },
  },
});
