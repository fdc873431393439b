import { defineRule } from "@modelaudit/core";

export default defineRule({
  meta: {
    description:
      "A payment card number (13-19 digits, a real issuer range, valid Luhn checksum, not a published test number) is embedded in the model.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Treat the card as compromised (notify the issuer), remove it from the model and the training data, and retrain.",
    references: ["CWE-359", "CWE-312", "PCI DSS Requirement 3", "OWASP ML03:2023 Model Inversion Attack"],
    messages: { found: "{{kind}} in {{place}}" },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-pii#credit-card-number" },
  },
});
