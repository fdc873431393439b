import { CWE_200, defineRule, link } from "@modelaudit/core";

/** The rule's name is written here only: the plugin's rule map and the detector's list read it. */
export default defineRule({
  name: "internal-hostname",
  meta: {
    description:
      "A model file names a host of a private network (a private-use suffix such as .internal, .corp or .lan, or one " +
      "of your organisation's domains): the model was built or configured inside, and publishing it maps that network.",
    severity: "warning",
    confidence: 0.7,
    recommended: true,
    remediation:
      "Remove internal hostnames from the model's metadata and configs before publishing it, or keep the model internal.",
    references: [
      CWE_200,
      link("https://www.rfc-editor.org/rfc/rfc6762#appendix-G", "RFC 6762: private DNS namespaces"),
    ],
    messages: {
      internalHost: "{{host}} is a host of a private network ({{suffix}}).",
    },
  },
});
