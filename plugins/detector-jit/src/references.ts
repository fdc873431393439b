/** Reference ids shared by the rules of this plugin. */
export const CWE_94 = "CWE-94: Improper Control of Generation of Code ('Code Injection')";
export const CWE_78 =
  "CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')";
export const CWE_502 = "CWE-502: Deserialization of Untrusted Data";
export const CWE_114 = "CWE-114: Process Control";
export const CWE_829 = "CWE-829: Inclusion of Functionality from Untrusted Control Sphere";
export const OWASP_ML06 = "OWASP ML06:2023 ML Supply Chain Attacks";
export const HF_REMOTE_CODE = "https://huggingface.co/docs/transformers/en/custom_models";
export const TORCH_LOAD_LIBRARY = "https://pytorch.org/docs/stable/generated/torch.ops.load_library.html";
