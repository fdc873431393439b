/**
 * The x86 branch-call-jump filter decoder (7-Zip's BCJ; the LZMA SDK's Bra86.c is public domain).
 * 7-Zip applies it by default to executables and sometimes to everything: malicious1.7z uses it.
 * Converts absolute CALL/JMP targets back to relative ones, in place. The last four bytes of a
 * stream are never converted, as the encoder also left them.
 */
const MASK_TO_ALLOWED = [true, true, true, false, true, false, false, false];
const MASK_TO_BIT_NUMBER = [0, 1, 2, 2, 3, 3, 3, 3];

function isMostSignificantByte(value: number): boolean {
  return value === 0 || value === 0xff;
}

export function decodeBcjX86(data: Uint8Array, startAddress = 0): void {
  if (data.length < 5) return;
  const ip = startAddress + 5;
  const limit = data.length - 4;
  let position = 0;
  let previousPosition = -1;
  let previousMask = 0;
  for (;;) {
    while (position < limit && ((data[position] as number) & 0xfe) !== 0xe8) position++;
    if (position >= limit) break;
    const distance = position - previousPosition;
    if (distance > 3) {
      previousMask = 0;
    } else {
      previousMask = (previousMask << (distance - 1)) & 0x7;
      if (previousMask !== 0) {
        const byte = data[position + 4 - (MASK_TO_BIT_NUMBER[previousMask] as number)] as number;
        if (!MASK_TO_ALLOWED[previousMask] || isMostSignificantByte(byte)) {
          previousPosition = position;
          previousMask = ((previousMask << 1) & 0x7) | 1;
          position++;
          continue;
        }
      }
    }
    previousPosition = position;
    if (isMostSignificantByte(data[position + 4] as number)) {
      let source =
        ((data[position + 4] as number) * 2 ** 24 +
          (((data[position + 3] as number) << 16) |
            ((data[position + 2] as number) << 8) |
            (data[position + 1] as number))) >>>
        0;
      let destination: number;
      for (;;) {
        destination = (source - (ip + position)) >>> 0;
        if (previousMask === 0) break;
        const index = (MASK_TO_BIT_NUMBER[previousMask] as number) * 8;
        const byte = (destination >>> (24 - index)) & 0xff;
        if (!isMostSignificantByte(byte)) break;
        source = (destination ^ ((1 << (32 - index)) - 1)) >>> 0;
      }
      data[position + 4] = (destination >>> 24) & 1 ? 0xff : 0x00;
      data[position + 3] = (destination >>> 16) & 0xff;
      data[position + 2] = (destination >>> 8) & 0xff;
      data[position + 1] = destination & 0xff;
      position += 5;
    } else {
      previousMask = ((previousMask << 1) & 0x7) | 1;
      position++;
    }
  }
}

/** The delta filter decoder (7z/xz id 0x03): each byte adds the byte `distance` back. */
export function decodeDelta(data: Uint8Array, distance: number): void {
  for (let index = distance; index < data.length; index++) {
    data[index] = ((data[index] as number) + (data[index - distance] as number)) & 0xff;
  }
}
