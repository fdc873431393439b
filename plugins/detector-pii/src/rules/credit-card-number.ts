import { CWE_312, CWE_359, defineRule, link, OWASP_ML03 } from "@modelaudit/core";

export default defineRule({
  name: "credit-card-number",
  meta: {
    description:
      "A payment card number (13-19 digits, a real issuer range, valid Luhn checksum, not a published test number) is embedded in the model.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Treat the card as compromised (notify the issuer), remove it from the model and the training data, and retrain.",
    references: [
      CWE_359,
      CWE_312,
      link(
        "https://www.pcisecuritystandards.org/standards/pci-dss/",
        "PCI DSS Requirement 3: Protect Stored Account Data",
      ),
      OWASP_ML03,
    ],
    messages: { found: "{{kind}} in {{place}}" },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-pii#credit-card-number" },
  },
});
