// A minimal stored-only zip writer (with zip64 when needed) for synthetic benchmark checkpoints,
// streaming members to disk so a large file never sits in memory.
import { closeSync, openSync, writeSync } from "node:fs";

const crcTable = new Uint32Array(256).map((_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

function crc32(bytes, seed = 0) {
  let crc = ~seed >>> 0;
  for (let index = 0; index < bytes.length; index++) crc = crcTable[(crc ^ bytes[index]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

export class ZipWriter {
  constructor(file) {
    this.fd = openSync(file, "w");
    this.offset = 0;
    this.entries = [];
  }
  write(buffer) {
    writeSync(this.fd, buffer);
    this.offset += buffer.length;
  }
  /** Adds a stored member; `chunks` is an iterable of Buffers. */
  addStored(name, chunks) {
    const nameBytes = Buffer.from(name, "utf8");
    const parts = [...chunks];
    const size = parts.reduce((total, part) => total + part.length, 0);
    let crc = 0;
    for (const part of parts) crc = crc32(part, crc);
    const headerOffset = this.offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    // PyTorch aligns member data to 64 bytes with a padding extra field.
    const padding = (64 - ((headerOffset + 30 + nameBytes.length + 4) % 64)) % 64;
    const extra = Buffer.alloc(4 + padding);
    extra.writeUInt16LE(0x5446, 0);
    extra.writeUInt16LE(padding, 2);
    local.writeUInt16LE(extra.length, 28);
    this.write(local);
    this.write(nameBytes);
    this.write(extra);
    for (const part of parts) this.write(part);
    this.entries.push({ nameBytes, crc, size, headerOffset });
  }
  close() {
    const centralStart = this.offset;
    for (const entry of this.entries) {
      // Members past 4 GiB keep their offset in a zip64 extra field, as miniz writes it.
      const zip64 = entry.headerOffset > 0xffffffff;
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(zip64 ? 45 : 20, 4);
      central.writeUInt16LE(zip64 ? 45 : 20, 6);
      central.writeUInt32LE(entry.crc, 16);
      central.writeUInt32LE(entry.size, 20);
      central.writeUInt32LE(entry.size, 24);
      central.writeUInt16LE(entry.nameBytes.length, 28);
      central.writeUInt16LE(zip64 ? 12 : 0, 30);
      central.writeUInt32LE(zip64 ? 0xffffffff : entry.headerOffset, 42);
      this.write(central);
      this.write(entry.nameBytes);
      if (zip64) {
        const extra = Buffer.alloc(12);
        extra.writeUInt16LE(0x0001, 0);
        extra.writeUInt16LE(8, 2);
        extra.writeBigUInt64LE(BigInt(entry.headerOffset), 4);
        this.write(extra);
      }
    }
    const centralSize = this.offset - centralStart;
    const zip64End = centralStart > 0xffffffff;
    if (zip64End) {
      const recordOffset = this.offset;
      const record = Buffer.alloc(56);
      record.writeUInt32LE(0x06064b50, 0);
      record.writeBigUInt64LE(44n, 4);
      record.writeUInt16LE(45, 12);
      record.writeUInt16LE(45, 14);
      record.writeBigUInt64LE(BigInt(this.entries.length), 24);
      record.writeBigUInt64LE(BigInt(this.entries.length), 32);
      record.writeBigUInt64LE(BigInt(centralSize), 40);
      record.writeBigUInt64LE(BigInt(centralStart), 48);
      this.write(record);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(recordOffset), 8);
      locator.writeUInt32LE(1, 16);
      this.write(locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(centralSize, 12);
    end.writeUInt32LE(zip64End ? 0xffffffff : centralStart, 16);
    this.write(end);
    closeSync(this.fd);
  }
}
