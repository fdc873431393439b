/** The end of an SSTable, in a module of its own: the checkpoint sniffer needs it, not the table reader. */

/** `0xdb4775248b80fb57` stored little-endian in the last 8 bytes. */
export const TABLE_MAGIC = [0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb] as const;
export const FOOTER_LENGTH = 48;

/** True when `bytes` end with the table magic. */
export function endsWithTableMagic(bytes: Uint8Array): boolean {
  if (bytes.length < TABLE_MAGIC.length) return false;
  const start = bytes.length - TABLE_MAGIC.length;
  return TABLE_MAGIC.every((byte, index) => bytes[start + index] === byte);
}
