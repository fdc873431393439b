import { CWE_918, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "public-ip",
  meta: {
    description:
      "A public IP address in model metadata, configuration or code: a model has little reason to name a server " +
      "by address. Private, loopback, link-local and documentation ranges are not reported.",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation:
      "Find out what the address is for; remove it, or allow it with options.network.allowHosts if it is yours.",
    references: [CWE_918, OWASP_ML06],
    messages: {
      publicIp: "{{where}} holds public IP address {{address}}",
    },
    docs: { url: `${DOCS}#public-ip` },
  },
});
