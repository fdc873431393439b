import { ATTACK_T1567, ATTACK_TA0011, CWE_200, CWE_506, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "c2-indicator",
  meta: {
    description:
      "Signs that a model calls home or sends data out: a URL in a callback, beacon or exfil field, a URL handed " +
      "to a call the deserializer performs or used by code that opens connections, a raw public IP with a port, " +
      "tunnels, request catchers, chat-bot webhooks, paste drops, dynamic DNS and URL shorteners.",
    severity: "critical",
    confidence: 0.85,
    recommended: true,
    remediation:
      "Do not load this model on a machine with network access; find out who controls the destination and what the model sends there.",
    references: [CWE_506, CWE_200, ATTACK_TA0011, ATTACK_T1567, OWASP_ML06],
    messages: {
      callbackKey: "{{where}} is a callback-like field holding {{url}}",
      callArgument: "{{callee}}, called at load time, receives {{url}}",
      codeCall: "{{where}} calls the network and names {{url}}",
      publicIpWithPort: "{{where}} names a raw public address with a port: {{url}}",
      tunnel: "{{where}} points at tunnel service {{host}}: {{url}}",
      webhook: "{{where}} points at a request catcher or bot webhook {{host}}: {{url}}",
      paste: "{{where}} points at a paste or file drop {{host}}: {{url}}",
      dynamicDns: "{{where}} points at dynamic DNS host {{host}}: {{url}}",
      shortener: "{{where}} hides its destination behind URL shortener {{host}}: {{url}}",
    },
    docs: { url: `${DOCS}#c2-indicator` },
  },
});
