/** Builds safetensors bytes (u64 header length, JSON header, data) for tests that need layouts no tool writes. */
export interface TensorSpec {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

/** `declaredLength` makes the header claim more bytes for every tensor than the file holds (a cut-off file). */
export function buildSafetensors(
  tensors: readonly TensorSpec[],
  options: { declaredLength?: number } = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const tensor of tensors) {
    header[tensor.name] = {
      dtype: tensor.dtype,
      shape: tensor.shape,
      data_offsets: [offset, offset + (options.declaredLength ?? tensor.data.length)],
    };
    offset += tensor.data.length;
  }
  let text = JSON.stringify(header);
  text += " ".repeat((8 - (text.length % 8)) % 8);
  const out = new Uint8Array(8 + text.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(new TextEncoder().encode(text), 8);
  let position = 8 + text.length;
  for (const tensor of tensors) {
    out.set(tensor.data, position);
    position += tensor.data.length;
  }
  return out;
}

/** Float32 little-endian bytes of `values`. */
export function float32Bytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}
