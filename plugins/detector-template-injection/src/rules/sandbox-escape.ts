import { CWE_94, CWE_1336, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { CVE_2024_34359, JINJA_SANDBOX } from "../references.js";

export default defineRule({
  name: "sandbox-escape",
  meta: {
    description:
      "A chat template reaches Python object internals (__class__, __globals__, __subclasses__, ...) or a known " +
      "server-side template injection gadget leading to os, subprocess, eval or import: rendering it outside a " +
      "sandbox runs code on the machine that loads the model.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not load this model with a loader that renders its chat template; replace the template with the one the " +
      "base model ships, and render templates only in jinja2's ImmutableSandboxedEnvironment.",
    references: [CWE_1336, CWE_94, OWASP_ML06, CVE_2024_34359, JINJA_SANDBOX],
    messages: {
      internalAttribute:
        "{{construct}} reads the Python internal attribute {{name}} ({{via}}) at {{position}}: {{reason}}.",
      privateAttribute:
        "{{construct}} reads the private attribute {{name}} ({{via}}) at {{position}}; the Jinja sandbox forbids " +
        "underscore attributes, so a template that needs one is reaching past it.",
      gadgetChain:
        "{{construct}} walks from the template global {{root}}, a known template-injection gadget, to {{name}} at " +
        "{{position}}.",
      dangerousName: "{{construct}} reaches {{name}} at {{position}}: {{reason}}.",
      dangerousCall: "{{construct}} calls {{name}} at {{position}}: {{reason}}.",
      rawTextInternal:
        "The template does not parse, but its tags name the Python internal {{name}} at {{position}} " +
        "({{construct}}); another Jinja engine may well render it.",
    },
  },
});
