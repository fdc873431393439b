/** One tensor of a safetensors file written by the tests: its bytes as stored. */
export interface SafetensorsTensor {
  name: string;
  /** The safetensors spelling (`F32`, `U8`, ...). */
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

/** A safetensors file: the 8-byte header length, the JSON header (space-padded to 8), the data in order. */
export function safetensorsBytes(tensors: readonly SafetensorsTensor[], metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const { name, dtype, shape, data } of tensors) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, Buffer.from(json), ...tensors.map(({ data }) => data)]);
}
