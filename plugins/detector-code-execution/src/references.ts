/** Reference ids shared by the rules of this plugin. */
export const CWE_502 = "CWE-502: Deserialization of Untrusted Data";
export const OWASP_ML06 = "OWASP ML06:2023 ML Supply Chain Attacks";
