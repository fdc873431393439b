/** One field of a protobuf message as it sits in the bytes. */
export interface ProtobufField {
  number: number;
  /** The whole field, tag included. */
  bytes: Uint8Array;
  /** A length-delimited field's payload (empty for the other wire types). */
  payload: Uint8Array;
  start: number;
}

/**
 * Splits a protobuf message into its top-level fields by wire type alone, for tests that reorder,
 * cut or rebuild messages. Cut-short input ends with a field clipped at the end of the bytes.
 */
export function protobufFields(bytes: Uint8Array): ProtobufField[] {
  const fields: ProtobufField[] = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; at < bytes.length; shift += 7) {
      const byte = bytes[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    return value;
  };
  while (at < bytes.length) {
    const start = at;
    const tag = varint();
    const wire = tag % 8;
    let payloadStart = at;
    if (wire === 0) varint();
    else if (wire === 2) {
      const length = varint(); // read before moving `at` (at += varint() would add to the old value)
      payloadStart = at;
      at += length;
    } else at += wire === 1 ? 8 : 4;
    const end = Math.min(at, bytes.length);
    fields.push({
      number: Math.floor(tag / 8),
      bytes: bytes.subarray(start, end),
      payload: wire === 2 ? bytes.subarray(Math.min(payloadStart, end), end) : bytes.subarray(end, end),
      start,
    });
  }
  return fields;
}
