import { link } from "@modelaudit/core";

/** Pages more than one rule of this plugin cites; the shared CWE and OWASP entries come from core. */
export const HF_REMOTE_CODE = link("https://huggingface.co/docs/transformers/en/custom_models");
export const TORCH_LOAD_LIBRARY = link("https://pytorch.org/docs/stable/generated/torch.ops.load_library.html");
