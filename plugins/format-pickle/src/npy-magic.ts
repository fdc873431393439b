/** The start of every .npy file; a module of its own so the sniffer does not load the header parser. */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function hasNpyMagic(bytes: Uint8Array): boolean {
  return NPY_MAGIC.every((byte, index) => bytes[index] === byte);
}
