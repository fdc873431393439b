/** Reference ids shared by the rules of this plugin. */
export const CWE_829 = "CWE-829: Inclusion of Functionality from Untrusted Control Sphere";
export const CWE_94 = "CWE-94: Improper Control of Generation of Code";
export const CWE_22 = "CWE-22: Improper Limitation of a Pathname to a Restricted Directory";
export const CWE_73 = "CWE-73: External Control of File Name or Path";
export const OWASP_ML06 = "OWASP ML06:2023 ML Supply Chain Attacks";
export const DOCS = "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-custom-ops";
