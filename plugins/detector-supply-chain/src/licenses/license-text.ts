/**
 * Which license a LICENSE file holds, from its opening text: the title or the first sentence every
 * copy of that license carries. Only the first LICENSE_HEAD characters are read.
 */

/** Titles sit at the top; a license identified further down is a quotation, not the file's license. */
export const LICENSE_HEAD = 4096;

/** File names that hold a license (`LICENSE`, `LICENSE.md`, `LICENCE.txt`, `COPYING`, `LICENSE-MODEL`). */
export const LICENSE_FILE_NAME = /^(?:licen[cs]e|copying|notice-license)(?:[-_.][\w.-]{0,40})?$/i;

/** Pattern on the opening text → Hugging Face / SPDX id understood by `normalizeLicense`. In order: specific first. */
const TEXTS: [RegExp, string][] = [
  [/LLAMA 4 COMMUNITY LICENSE/i, "llama4"],
  [/LLAMA 3\.3 COMMUNITY LICENSE/i, "llama3.3"],
  [/LLAMA 3\.2 COMMUNITY LICENSE/i, "llama3.2"],
  [/LLAMA 3\.1 COMMUNITY LICENSE/i, "llama3.1"],
  [/META LLAMA 3 COMMUNITY LICENSE/i, "llama3"],
  [/LLAMA 2 COMMUNITY LICENSE/i, "llama2"],
  [/Gemma Terms of Use/i, "gemma"],
  [/Tongyi Qianwen (?:LICENSE|RESEARCH LICENSE)/i, "tongyi-qianwen"],
  [/CreativeML Open RAIL-M/i, "creativeml-openrail-m"],
  [/CreativeML Open RAIL\+\+-M/i, "openrail++"],
  [/BigScience RAIL License/i, "bigscience-bloom-rail-1.0"],
  [/BigScience Open RAIL-M/i, "bigscience-openrail-m"],
  [/BigCode Open RAIL-M/i, "bigcode-openrail-m"],
  [/STABILITY AI COMMUNITY LICENSE/i, "stabilityai-ai-community"],
  [/Falcon[- ]LLM License/i, "falcon-llm-license"],
  [/GNU AFFERO GENERAL PUBLIC LICENSE\s+Version 3/i, "agpl-3.0"],
  [/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3/i, "lgpl-3.0"],
  [/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1/i, "lgpl-2.1"],
  [/GNU GENERAL PUBLIC LICENSE\s+Version 3/i, "gpl-3.0"],
  [/GNU GENERAL PUBLIC LICENSE\s+Version 2/i, "gpl-2.0"],
  [/Mozilla Public License,?\s+(?:Version|v\.?)\s*2\.0/i, "mpl-2.0"],
  [/Apache License,?\s+Version 2\.0/i, "apache-2.0"],
  [/Attribution-NonCommercial-ShareAlike 4\.0/i, "cc-by-nc-sa-4.0"],
  [/Attribution-NonCommercial-NoDerivatives 4\.0/i, "cc-by-nc-nd-4.0"],
  [/Attribution-NonCommercial 4\.0/i, "cc-by-nc-4.0"],
  [/Attribution-ShareAlike 4\.0/i, "cc-by-sa-4.0"],
  [/Attribution-NoDerivatives 4\.0/i, "cc-by-nd-4.0"],
  [/Attribution 4\.0 International/i, "cc-by-4.0"],
  [/CC0 1\.0 Universal/i, "cc0-1.0"],
  [/This is free and unencumbered software released into the public domain/i, "unlicense"],
  [/Boost Software License - Version 1\.0/i, "bsl-1.0"],
  [/Permission is hereby granted, free of charge, to any person obtaining a copy/i, "mit"],
  [/Permission to use, copy, modify, and\/or distribute this software for any purpose/i, "isc"],
];

const BSD = /Redistribution and use in source and binary forms, with or without\s+modification, are permitted/i;
const BSD_THIRD_CLAUSE = /Neither the name of/i;

/** The license id of a LICENSE file's opening text, or null when it is not one we recognise. */
export function identifyLicenseText(text: string): string | null {
  const head = text.slice(0, LICENSE_HEAD);
  for (const [pattern, id] of TEXTS) if (pattern.test(head)) return id;
  if (BSD.test(head)) return BSD_THIRD_CLAUSE.test(text.slice(0, LICENSE_HEAD * 2)) ? "bsd-3-clause" : "bsd-2-clause";
  return null;
}
