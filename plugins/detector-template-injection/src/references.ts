/** Reference ids shared by the rules of this plugin. */
export const CWE_1336 = "CWE-1336: Improper Neutralization of Special Elements Used in a Template Engine";
export const CWE_94 = "CWE-94: Improper Control of Generation of Code ('Code Injection')";
export const OWASP_ML06 = "OWASP ML06:2023 ML Supply Chain Attacks";
export const CVE_2024_34359 =
  "CVE-2024-34359 (llama-cpp-python: GGUF chat template rendered outside the Jinja sandbox)";
export const JINJA_SANDBOX = "https://jinja.palletsprojects.com/en/stable/sandbox/";
