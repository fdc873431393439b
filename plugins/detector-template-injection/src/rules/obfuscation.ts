import { CWE_1336, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "obfuscation",
  meta: {
    description:
      "A chat template builds attribute names at render time (string concatenation, format, join, reverse, " +
      "character codes, escape sequences) or looks attributes up by a name it computes: real chat templates never " +
      "need this, template-injection payloads use it to hide from review.",
    severity: "warning",
    confidence: 0.7,
    recommended: true,
    remediation:
      "Review the template by hand; compare it with the chat template of the base model and replace it if it differs.",
    references: [CWE_1336, OWASP_ML06],
    messages: {
      dynamicAttribute:
        "{{construct}} looks up an attribute whose name is computed at render time and cannot be resolved " +
        "statically, at {{position}}.",
      dynamicSubscript:
        "{{construct}} subscripts with a key built from strings at render time that cannot be resolved statically, " +
        "at {{position}}.",
      builtName: "{{construct}} builds the name {{name}} at render time ({{technique}}), at {{position}}.",
      longConstruction:
        "{{construct}} builds an attribute name from {{pieces}} pieces ({{technique}}) at {{position}}; real " +
        "templates write attribute names out.",
      escapedIdentifier:
        "The escape sequence {{escape}} spells the identifier character '{{character}}' inside a template tag at " +
        "{{position}}; nothing but hiding a name needs that.",
      internalNameValue:
        "{{construct}} holds the Python internal name {{name}} as a value at {{position}}; a chat template has no " +
        "use for it but to look it up on an object.",
      dunderKeyword:
        "{{construct}} passes a keyword argument named {{name}} at {{position}}; keyword names can be turned into " +
        "strings to spell Python internals.",
    },
  },
});
