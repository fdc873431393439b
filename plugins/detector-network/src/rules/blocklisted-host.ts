import { ATTACK_TA0011, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "blocklisted-host",
  meta: {
    description: "A host or address from the user's blocklist (options.network.blocklist), wherever it appears.",
    severity: "critical",
    confidence: 1,
    recommended: true,
    remediation: "Do not load this model: it names a destination your organisation has blocked.",
    references: [ATTACK_TA0011, OWASP_ML06],
    messages: {
      blocklisted: "{{where}} names blocklisted host {{host}}: {{url}}",
    },
    docs: { url: `${DOCS}#blocklisted-host` },
  },
});
