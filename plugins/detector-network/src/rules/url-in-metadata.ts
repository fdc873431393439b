import { CWE_918, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "url-in-metadata",
  meta: {
    description:
      "A URL or host name in model metadata, configuration, pickled strings or code. Links to documentation sites " +
      "and experiment trackers, dataset locations and internal addresses are a note; other destinations are worth a look, because a loader or a custom " +
      "code path may fetch from or send to them.",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation:
      "Check why the model names this destination; remove it, or add the host to options.network.allowHosts if it is yours.",
    references: [CWE_918, OWASP_ML06],
    messages: {
      url: "{{where}} holds a URL to {{host}}: {{url}}",
      hostInConfig: "{{where}} names host {{host}}",
      cloudBucket: "{{where}} points at cloud storage {{url}}",
      documentationLink: "{{where}} links to {{host}}: {{url}}",
      internalUrl: "{{where}} holds a URL to internal address {{host}}: {{url}}",
      trackerLink: "{{where}} links to an experiment-tracker page on {{host}}: {{url}}",
      datasetLocation: "{{where}} records where training data lives: {{url}}",
    },
    docs: { url: `${DOCS}#url-in-metadata` },
  },
});
