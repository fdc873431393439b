import type { SniffInput } from "@modelaudit/core";
import { endsWithTableMagic, FOOTER_LENGTH } from "./sstable-footer.js";
import { ProtoProblem, quietly, readField, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from "./wire-reader.js";

/**
 * The first entry BundleWriter writes is the header under the empty key: no shared bytes, no key
 * bytes, then a small BundleHeaderProto of varints and the version message.
 */
function startsWithBundleHeader(head: Uint8Array): boolean {
  if (head.length < 5 || head[0] !== 0 || head[1] !== 0) return false;
  const length = head[2] as number;
  if (length === 0 || length >= 0x80 || 3 + length > head.length) return false;
  let position = 3;
  let shards = false;
  try {
    // Quietly, as the other sniffers walk: a malformed head throws the shared problem, not a new Error.
    return quietly(() => {
      while (position < 3 + length) {
        const field = readField(head, position, 3 + length);
        if (!field) return false;
        if (field.number === 1 && field.wireType === WIRE_VARINT) shards = field.value > 0;
        else if (!(field.number === 2 && field.wireType === WIRE_VARINT) && field.number !== 3) return false;
        if (field.number === 3 && field.wireType !== WIRE_LENGTH_DELIMITED) return false;
        position = field.end;
      }
      return shards;
    });
  } catch (error) {
    if (error instanceof ProtoProblem) return false;
    throw error;
  }
}

/**
 * The header entry, or the table magic on a file named `.index` (an index whose first block is
 * compressed or whose footer is damaged is still claimed, so its parse can say why it is unread).
 * LevelDB databases share the table format but have neither.
 */
export function sniffCheckpointIndex(input: SniffInput): boolean {
  if (input.size < FOOTER_LENGTH) return false;
  const header = startsWithBundleHeader(input.head);
  const index = input.extension === ".index";
  return (header && (index || endsWithTableMagic(input.tail))) || (index && endsWithTableMagic(input.tail));
}
