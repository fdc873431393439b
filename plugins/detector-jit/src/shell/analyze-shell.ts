import type { Severity } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import type { CodeIssue } from "../code-issue.js";

/**
 * Judges a text value written as a shell command line. Only a value whose first command is a program
 * (after `sudo`, `env` and `VAR=value` prefixes) counts as a command line; prose that mentions curl does
 * not. Within it, what is judged is what no ordinary setting needs: a download piped into an
 * interpreter, inline code handed to an interpreter, a shell wired to the network, a recursive delete
 * of the home or root folder, and a decoded payload piped into a shell. `pip install x` and
 * `python train.py` are commands too, and pass.
 */

/** Longest text treated as a command line; longer values are documents, not commands. */
export const MAX_COMMAND_CHARS = 4096;

const PREFIX = /^\s*(?:(?:sudo|doas|env|nohup|exec|time|command)\s+(?:-\S+\s+)*|[A-Za-z_]\w*=\S*\s+)*/;
const PROGRAM =
  /^(?:\/(?:usr\/)?(?:local\/)?s?bin\/)?(curl|wget|bash|sh|zsh|dash|ksh|fish|python[23]?(?:\.\d+)?|perl|ruby|php|node|nc|ncat|netcat|socat|telnet|rm|chmod|powershell(?:\.exe)?|pwsh|cmd(?:\.exe)?|certutil(?:\.exe)?|bitsadmin|mshta|rundll32|base64|echo|printf|eval|mkfifo|busybox|pip3?|git|cd|export)(?=\s|$)/i;
const INTERPRETER = String.raw`(?:sudo\s+)?(?:\/\S*\/)?(?:ba|z|da|k|fi)?sh|python[23]?(?:\.\d+)?|perl|ruby|php|node|pwsh|powershell|iex|Invoke-Expression`;
const DOWNLOAD_THEN_RUN = new RegExp(
  String.raw`\b(?:curl|wget|fetch|iwr|Invoke-WebRequest|certutil|bitsadmin)\b[^|;&\n]*\|\s*(?:${INTERPRETER})\b|\b(?:ba|z|da)?sh\s+(?:-c\s+)?["']?(?:<\(|\$\()\s*(?:curl|wget)\b`,
  "i",
);
/** A download written to a file that is then made executable (`curl -o x ... && chmod +x x && ./x`). */
const DOWNLOAD = /\b(?:curl|wget)\b/i;
const THEN_CHMOD = /(?:&&|;|\|\|)[^\n]*?\bchmod\s+(?:[ugoa]*\+x|[0-7]*[157][0-7]{0,2})\b/i;
const DECODED_TO_SHELL = new RegExp(
  String.raw`\b(?:base64\s+(?:-d|--decode|-D)|xxd\s+-r|openssl\s+(?:enc\s+)?-d)\b[^;&\n]*\|\s*(?:${INTERPRETER})\b`,
  "i",
);
const REVERSE_SHELL =
  /\/dev\/(?:tcp|udp)\/|\b(?:nc|ncat|netcat)\b[^|;&\n]*\s-(?:e|c)\s|\bsocat\b[^\n]*\bexec:|\bmkfifo\b[^\n]*\b(?:nc|ncat|netcat)\b|\btelnet\b[^\n]*\|\s*(?:\/bin\/)?(?:ba)?sh\b/i;
const INLINE_CODE =
  /\b((?:ba|z|da|k)?sh|python[23]?(?:\.\d+)?|perl|ruby|php|node)\s+(?:-\w+\s+)*-(?:c|e)\s+(["']?)([\s\S]+)|\b(powershell(?:\.exe)?|pwsh)\b[^\n]*\s-(?:e|ec|enc|encodedcommand|c|command)\s+(\S[\s\S]*)|\b(cmd(?:\.exe)?)\s+\/c\s+(\S[\s\S]*)/i;
/** `rm`, its flags and its first operand; a flag token matches one way only, so hostile input stays linear. */
const REMOVE = /\brm\s+((?:-{1,2}[\w-]+\s+)*)(\/\*?|~\/?|\$HOME\/?|\*)(?=\s|$|;|&)/;

export interface ShellJudgement {
  issues: CodeIssue[];
  /** Python passed inline (`python -c "..."`), for the caller to analyse as Python. */
  inlinePython?: string;
}

/** True when the text reads as a command line: its first word, past prefixes, is a program. */
export function isCommandLine(text: string): boolean {
  if (text.length > MAX_COMMAND_CHARS) return false;
  const rest = text.slice((PREFIX.exec(text)?.[0] ?? "").length);
  return PROGRAM.test(rest) || /^\s*\$\(|^\s*`/.test(text);
}

export function analyzeShell(text: string): ShellJudgement {
  const judgement: ShellJudgement = { issues: [] };
  if (!isCommandLine(text)) return judgement;
  const written = truncateText(text.replace(/\s+/g, " ").trim(), 120);
  const issue = (messageId: string, data: Record<string, string> = {}, severity: Severity = "critical"): void => {
    judgement.issues.push({
      rule: "dangerous-call",
      messageId,
      severity,
      data: { written, ...data },
      position: { line: 1, column: 1 },
      evidence: truncateText(text, 200),
    });
  };
  const download = DOWNLOAD.exec(text);
  if (DOWNLOAD_THEN_RUN.test(text) || (download && THEN_CHMOD.test(text.slice(download.index)))) {
    issue("shellDownloadExecute");
  }
  if (DECODED_TO_SHELL.test(text)) issue("shellDecodedExecute");
  if (REVERSE_SHELL.test(text)) issue("shellReverseShell");
  const remove = REMOVE.exec(text);
  if (remove && /(?:^|\s)(?:-\w*[rR]|--recursive)/.test(remove[1] as string)) {
    issue("shellDestructive", { target: remove[2] as string });
  }
  const inline = INLINE_CODE.exec(text);
  if (inline) {
    const program = (inline[1] ?? inline[4] ?? inline[6] ?? "").toLowerCase();
    // Inline code is noted only: job commands (`bash -c "pip install ... && python train.py"`) are ordinary
    // settings; what the inline code runs is judged on its own (downloads, Python).
    issue("shellInlineCode", { command: program }, "info");
    if (/^python/.test(program) && inline[3]) judgement.inlinePython = unquote(inline[3], inline[2] ?? "");
  }
  return judgement;
}

/** The inline program of `python -c "..."`, without its closing quote and what follows it. */
function unquote(rest: string, quote: string): string {
  if (!quote) return rest.split(/\s/)[0] ?? rest;
  const end = rest.indexOf(quote);
  return end === -1 ? rest : rest.slice(0, end);
}
