import { describe, expect, it } from "vitest";
import { cardBrand, isTestCardNumber, judgeCardNumber, luhnValid } from "../src/card-number.js";
import { ibanChecksumValid, isValidIban } from "../src/iban.js";
import { isValidSsn } from "../src/us-ssn.js";
import { breakLuhn, germanIban, grouped, luhnNumber } from "./support/fake-pii.js";

describe("Luhn and issuer ranges", () => {
  it("accepts generated Luhn numbers and rejects every one-digit change of them", () => {
    for (let seed = 1; seed < 200; seed++) {
      const number = luhnNumber("4", 16, seed);
      expect(luhnValid(number), number).toBe(true);
      expect(luhnValid(breakLuhn(number)), number).toBe(false);
    }
    expect(luhnValid("12a4")).toBe(false);
  });

  it.each([
    ["4", 16, "Visa"],
    ["4", 13, "Visa"],
    ["51", 16, "Mastercard"],
    ["55", 16, "Mastercard"],
    ["2221", 16, "Mastercard"],
    ["2720", 16, "Mastercard"],
    ["34", 15, "American Express"],
    ["37", 15, "American Express"],
    ["6011", 16, "Discover"],
    ["65", 19, "Discover"],
    ["644", 16, "Discover"],
    ["3528", 16, "JCB"],
    ["3589", 19, "JCB"],
    ["300", 14, "Diners Club"],
    ["36", 14, "Diners Club"],
    ["38", 16, "Diners Club"],
  ] as const)("prefix %s, %i digits is %s", (prefix, length, brand) => {
    expect(cardBrand(luhnNumber(prefix, length, 7))?.name).toBe(brand);
  });

  it.each([
    ["50", 16],
    ["56", 16],
    ["2220", 16],
    ["2721", 16],
    ["35", 15],
    ["306", 14],
    ["1", 16],
    ["9", 16],
    ["4", 15],
    ["34", 16],
    ["51", 15],
  ] as const)("prefix %s with %i digits is no card", (prefix, length) => {
    expect(cardBrand(luhnNumber(prefix, length, 7))).toBeNull();
  });

  it("treats published test numbers and typed patterns as placeholders", () => {
    const published = [
      "4111111111111111",
      "4242424242424242",
      "5555555555554444",
      "378282246310005",
      "6011111111111117",
    ];
    for (const number of published) {
      expect(luhnValid(number), number).toBe(true);
      expect(isTestCardNumber(number), number).toBe(true);
      expect(judgeCardNumber(number), number).toBeNull();
      expect(judgeCardNumber(grouped(number)), number).toBeNull();
    }
    expect(isTestCardNumber(luhnNumber("4539", 16, 3))).toBe(false);
  });

  it("accepts printed layouts with one kind of separator and rejects mixed or odd groupings", () => {
    const visa = luhnNumber("4539", 16, 11);
    const amex = luhnNumber("37", 15, 11);
    expect(judgeCardNumber(visa)?.grouped).toBe(false);
    expect(judgeCardNumber(grouped(visa))?.grouped).toBe(true);
    expect(judgeCardNumber(grouped(visa, "-"))?.brand.name).toBe("Visa");
    expect(judgeCardNumber(grouped(amex))?.brand.name).toBe("American Express");
    expect(
      judgeCardNumber(`${visa.slice(0, 4)} ${visa.slice(4, 8)}-${visa.slice(8, 12)} ${visa.slice(12)}`),
    ).toBeNull();
    expect(judgeCardNumber(`${visa.slice(0, 3)} ${visa.slice(3, 9)} ${visa.slice(9)}`)).toBeNull();
    expect(judgeCardNumber(breakLuhn(visa))).toBeNull();
  });
});

describe("US SSN ranges", () => {
  it.each([
    ["219", "45", "6781", true],
    ["001", "23", "0456", true],
    ["899", "47", "9913", true],
    ["001", "01", "0001", false],
    ["000", "45", "6781", false],
    ["666", "45", "6781", false],
    ["900", "45", "6781", false],
    ["987", "65", "4321", false],
    ["219", "00", "6781", false],
    ["219", "45", "0000", false],
    ["123", "45", "6789", false],
    ["078", "05", "1120", false],
    ["111", "11", "1111", false],
  ] as const)("%s-%s-%s valid: %s", (area, group, serial, valid) => {
    expect(isValidSsn(area, group, serial)).toBe(valid);
  });
});

describe("IBAN checksum", () => {
  it("accepts generated IBANs and rejects a changed digit, a wrong length or an unknown country", () => {
    for (let seed = 1; seed < 100; seed++) {
      const iban = germanIban(seed);
      expect(ibanChecksumValid(iban), iban).toBe(true);
      if (!/(\d)\1{7,}/.test(iban.slice(4))) expect(isValidIban(iban), iban).toBe(true);
      const changed = iban.slice(0, 10) + String((Number(iban[10]) + 1) % 10) + iban.slice(11);
      expect(isValidIban(changed), changed).toBe(false);
      expect(isValidIban(iban.slice(0, -1)), "short").toBe(false);
      expect(isValidIban(`ZZ${iban.slice(2)}`), "unknown country").toBe(false);
    }
  });

  it("treats registry and bank documentation examples as placeholders", () => {
    for (const example of ["GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606"]) {
      expect(ibanChecksumValid(example), example).toBe(true);
      expect(isValidIban(example), example).toBe(false);
    }
  });
});
