/** Stream signatures and header sizes the sniffers need without loading the decoders. */

/** xz stream header magic. */
export const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] as const;
/** LZ4 frame magic (little-endian 0x184D2204), as written by the `lz4` tool and python lz4.frame. */
export const LZ4_FRAME_MAGIC = [0x04, 0x22, 0x4d, 0x18] as const;
/** LZMA-alone header: properties byte, dictionary size, 64-bit uncompressed size. */
export const LZMA_ALONE_HEADER = 13;
