import { defineRule } from "@modelaudit/core";
import { DOCS, MITRE_C2, OWASP_ML06 } from "../references.js";

export default defineRule({
  meta: {
    description: "A host or address from the user's blocklist (options.network.blocklist), wherever it appears.",
    severity: "critical",
    confidence: 1,
    recommended: true,
    remediation: "Do not load this model: it names a destination your organisation has blocked.",
    references: [MITRE_C2, OWASP_ML06],
    messages: {
      blocklisted: "{{where}} names blocklisted host {{host}}: {{url}}",
    },
    docs: { url: `${DOCS}#blocklisted-host` },
  },
});
