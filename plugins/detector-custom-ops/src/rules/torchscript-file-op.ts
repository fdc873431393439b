import { CWE_73, defineRule, link, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "torchscript-file-op",
  meta: {
    description:
      "TorchScript code calls an operator that maps, reads or writes files (aten::from_file, aten::save) or makes RPC " +
      "calls (rpc_async, rpc_sync, remote) when the model runs; c10d collectives are a note.",
    severity: "critical",
    confidence: 0.85,
    recommended: true,
    remediation:
      "A model's forward pass has no reason to touch files or the network: find out which path or worker the call names before running it.",
    references: [CWE_73, OWASP_ML06, link("https://pytorch.org/docs/stable/generated/torch.from_file.html")],
    messages: {
      mapsFile:
        "TorchScript calls {{domain}}::{{op}} at {{path}}: maps a file into a tensor (and writes it when shared)",
      writesFiles: "TorchScript calls {{domain}}::{{op}} at {{path}}: writes a file",
      talksToNetwork: "TorchScript calls {{domain}}::{{op}} at {{path}}: a remote procedure call to another worker",
      exchangesTensors:
        "TorchScript calls {{domain}}::{{op}} at {{path}}: sends or receives tensors through a process group",
    },
    docs: { url: `${DOCS}#torchscript-file-op` },
  },
});
