import { CWE_312, CWE_798, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "database-url",
  meta: {
    description:
      "A database or message broker URL with a password (postgres, mysql, mongodb, redis, amqp, mssql, ...) is embedded in the model.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Change the database password, restrict network access to the server, and remove the URL from the model.",
    references: [CWE_798, CWE_312, OWASP_ML06],
    messages: {
      found: "{{kind}} in {{place}}",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-secrets#database-url" },
  },
});
