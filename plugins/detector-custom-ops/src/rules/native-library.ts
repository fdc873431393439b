import { CWE_427, CWE_829, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "native-library",
  meta: {
    description:
      "Native code shipped inside a model (a .so, .dll, .dylib or .pyd member) or loaded by it: whoever loads " +
      "the library runs its machine code with the loader's rights.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not load native libraries that come with a model; build custom operators from reviewed source instead.",
    references: [CWE_829, OWASP_ML06, CWE_427],
    messages: {
      shippedLibrary: "The model ships native library {{name}}",
      loadedLibrary: "{{key}} loads native library {{target}}",
    },
    docs: { url: `${DOCS}#native-library` },
  },
});
