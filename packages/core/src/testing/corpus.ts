import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The public picklescan corpus (labels in its labels.json), read in place and never copied into the
 * repository: at MODELAUDIT_CORPUS, else beside the checkout as the workspace lays it out
 * (`<checkout>/../shared/corpora/picklescan`, found from a package folder), else undefined.
 */
export function picklescanCorpus(): string | undefined {
  // MODELAUDIT_CORPUS=none: behave as on a machine without the corpus (its tests skip).
  if (process.env.MODELAUDIT_CORPUS === "none") return undefined;
  const candidates = [
    process.env.MODELAUDIT_CORPUS,
    path.resolve(process.cwd(), "../../../shared/corpora/picklescan"),
    path.resolve(process.cwd(), "../shared/corpora/picklescan"),
    "/work/shared/corpora/picklescan",
  ];
  return candidates.find((candidate) => candidate && existsSync(path.join(candidate, "labels.json")));
}
