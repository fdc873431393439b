import { ATLAS_AML_T0018, CWE_506, defineRule, link, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "hidden-file",
  meta: {
    description:
      "Bytes reassembled from the low bits of consecutive weights (1, 2, 4 or 8 bits per value, either bit order), or base64 text found there and decoded, form a file the engine recognises by its header: an executable (ELF, PE, Mach-O), a script (#!), an archive or compressed stream (zip, gzip, 7z) or a pickle. Natural weights never spell a valid header: the model carries a hidden payload (steganography, as in EvilModel and StegoNet).",
    severity: "critical",
    confidence: 0.95,
    recommended: true,
    remediation:
      "Do not load or distribute the model: its weights carry a file that a companion loader can extract and run. Obtain the model from its original publisher and compare hashes.",
    references: [CWE_506, OWASP_ML06, ATLAS_AML_T0018, link("https://arxiv.org/abs/2107.08590", "EvilModel")],
    messages: {
      signature:
        "The low bits of tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) form {{payload}}: bytes assembled from {{plane}}, starting at extracted byte {{position}}",
      base64:
        "The low bits of tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) hold base64 text that decodes to {{payload}}: bytes assembled from {{plane}}, text starting at extracted byte {{position}}",
      more: "{{count}} more tensors with a file hidden in their low bits are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-stego#hidden-file" },
  },
});
