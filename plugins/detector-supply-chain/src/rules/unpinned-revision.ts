import { CWE_494, defineRule, link, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "unpinned-revision",
  meta: {
    description:
      "The model names its repository or base model at a branch or tag (`main`, `v1`), not a commit: what that name points to can change after the scan, so the next download may not be what was scanned.",
    severity: "info",
    confidence: 1,
    recommended: true,
    remediation:
      'Pin the revision to a full commit hash (`revision="<40 hex>"` in from_pretrained, `hf://org/name@<commit>`), and scan that commit.',
    references: [
      OWASP_ML06,
      CWE_494,
      link(
        "https://huggingface.co/docs/huggingface_hub/guides/download#from-specific-version",
        "Hugging Face: download from a specific version",
      ),
    ],
    messages: {
      unpinned: "{{repository}} ({{source}}) is named at revision {{revision}}, which can move; a commit hash cannot",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#unpinned-revision",
    },
  },
});
