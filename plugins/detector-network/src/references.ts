/** Reference ids shared by the rules of this plugin. */
export const CWE_200 = "CWE-200: Exposure of Sensitive Information to an Unauthorized Actor";
export const CWE_918 = "CWE-918: Server-Side Request Forgery";
export const CWE_506 = "CWE-506: Embedded Malicious Code";
export const OWASP_ML06 = "OWASP ML06:2023 ML Supply Chain Attacks";
export const MITRE_C2 = "MITRE ATT&CK TA0011 Command and Control";
export const MITRE_EXFIL = "MITRE ATT&CK T1567 Exfiltration Over Web Service";
export const DOCS = "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-network";
