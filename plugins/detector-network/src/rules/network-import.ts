import { CWE_494, CWE_506, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "network-import",
  meta: {
    description:
      "A serialized program or code shipped with the model imports a network-capable module or function " +
      "(socket, urllib, requests, http.client, paramiko, DNS resolution, torch.hub downloads...); calling one is critical.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation: "Do not load the model where it can reach the network until you know what it connects to and why.",
    references: [CWE_506, OWASP_ML06, CWE_494],
    messages: {
      networkImport: "{{where}} imports network-capable {{name}}",
      networkCall: "{{where}} calls network function {{name}}",
    },
    docs: { url: `${DOCS}#network-import` },
  },
});
