import { cve } from "@modelaudit/core";

/** References more than one rule of this plugin cites; the shared CWE and OWASP entries come from core. */
export const CVE_2025_32434 = cve("CVE-2025-32434", "torch.load weights_only bypass, torch <= 2.5.1");
