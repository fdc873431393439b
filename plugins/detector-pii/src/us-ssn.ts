/** US Social Security numbers: the ranges the SSA issues, minus the numbers everyone uses as examples. */

/** Published or famously misused examples (the Woolworth wallet card, ads, SSA pamphlets). */
const KNOWN_EXAMPLES = new Set(["123456789", "078051120", "219099999", "457555462", "111223333", "987654320"]);

/**
 * True for `AAA-GG-SSSS` digits the SSA could have issued: no 000, 666 or 9xx area, no 00 group,
 * no 0000 serial; never a known example, one repeated digit or an ascending run.
 */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  if (area === "000" || area === "666" || area.startsWith("9")) return false;
  if (group === "00" || serial === "0000") return false;
  const digits = `${area}${group}${serial}`;
  if (KNOWN_EXAMPLES.has(digits)) return false;
  if (new Set(digits).size <= 2) return false;
  let ascending = 1;
  for (let index = 1; index < digits.length; index++) {
    ascending = digits.charCodeAt(index) - digits.charCodeAt(index - 1) === 1 ? ascending + 1 : 1;
    if (ascending >= 6) return false;
  }
  return true;
}
