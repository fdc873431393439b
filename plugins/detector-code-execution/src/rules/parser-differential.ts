import { CWE_502, defineRule, link, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "parser-differential",
  meta: {
    description:
      "Two parsers of the same bytes would read them differently (e.g. a pickle argument crossing a FRAME boundary): " +
      "a classic way to show scanners one program while the loader runs another.",
    severity: "critical",
    confidence: 0.85,
    recommended: true,
    remediation: "Do not load this file; regenerate it with a standard serializer, or convert it to safetensors.",
    references: [CWE_502, OWASP_ML06, link("https://github.com/trailofbits/fickling", "FRAME-boundary differential")],
    messages: {
      parserDifferential:
        "Parsers would disagree about these bytes: {{detail}}. A scanner that reads them one way can miss what the loader runs.",
      moreFindings: "{{count}} more distinct parser differentials in this file are not listed one by one.",
    },
  },
});
