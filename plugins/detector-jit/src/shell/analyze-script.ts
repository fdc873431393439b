import type { CodeIssue } from "../code-issue.js";
import { analyzeShell, MAX_COMMAND_CHARS } from "./analyze-shell.js";

/** Lines of a shell script judged at most; scripts shipped with models are a few dozen lines. */
const MAX_SCRIPT_LINES = 20_000;

export interface ScriptJudgement {
  issues: CodeIssue[];
  /** Python passed inline (`python -c "..."`) with the line it sits on. */
  inlinePython: { code: string; line: number }[];
}

/**
 * Judges a shell script (a `code` fact in `shell`) one command line at a time, with the same checks as
 * a command line in a text value; `\` continuations are joined and comments skipped. Each issue is
 * placed on the line where its command starts.
 */
export function analyzeShellScript(text: string): ScriptJudgement {
  const judgement: ScriptJudgement = { issues: [], inlinePython: [] };
  const lines = text.split(/\r?\n/, MAX_SCRIPT_LINES);
  for (let index = 0; index < lines.length; index++) {
    const start = index;
    let command = lines[index] as string;
    while (command.endsWith("\\") && index + 1 < lines.length && command.length < MAX_COMMAND_CHARS) {
      command = `${command.slice(0, -1)} ${lines[++index] as string}`;
    }
    const trimmed = command.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    // `if`, `then`, `do`, `&&`-chained words start lines too; the command after them is what runs.
    const stripped = trimmed.replace(/^(?:(?:if|then|else|elif|do|while|until|!|\{|\()\s+)+/, "");
    const shell = analyzeShell(stripped.slice(0, MAX_COMMAND_CHARS));
    for (const issue of shell.issues) judgement.issues.push({ ...issue, position: { line: start + 1, column: 1 } });
    if (shell.inlinePython) judgement.inlinePython.push({ code: shell.inlinePython, line: start + 1 });
  }
  return judgement;
}
