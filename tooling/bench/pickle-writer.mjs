// A minimal pickle writer (protocol 2) for synthetic benchmark inputs. Writes bytes only; nothing
// here is ever unpickled.
export class PickleWriter {
  constructor() {
    this.chunks = [];
    this.size = 0;
    this.buffer = Buffer.alloc(1 << 20);
    this.used = 0;
  }
  ensure(bytes) {
    if (this.used + bytes > this.buffer.length) this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.alloc(bytes);
  }
  flush() {
    if (this.used > 0) this.chunks.push(Buffer.from(this.buffer.subarray(0, this.used)));
    this.size += this.used;
    this.used = 0;
  }
  byte(value) {
    this.ensure(1);
    this.buffer[this.used++] = value;
    return this;
  }
  raw(bytes) {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
    return this;
  }
  proto(version = 2) {
    return this.byte(0x80).byte(version);
  }
  global(module, name) {
    return this.raw(Buffer.from(`c${module}\n${name}\n`, "latin1"));
  }
  str(value) {
    const bytes = Buffer.from(value, "utf8");
    this.ensure(5 + bytes.length);
    this.buffer[this.used++] = 0x58; // BINUNICODE
    this.buffer.writeUInt32LE(bytes.length, this.used);
    this.used += 4;
    return this.raw(bytes);
  }
  int(value) {
    this.ensure(5);
    this.buffer[this.used++] = 0x4a; // BININT
    this.buffer.writeInt32LE(value, this.used);
    this.used += 4;
    return this;
  }
  float(value) {
    this.ensure(9);
    this.buffer[this.used++] = 0x47; // BINFLOAT
    this.buffer.writeDoubleBE(value, this.used);
    this.used += 8;
    return this;
  }
  mark() {
    return this.byte(0x28);
  }
  tuple() {
    return this.byte(0x74);
  }
  emptyDict() {
    return this.byte(0x7d);
  }
  emptyList() {
    return this.byte(0x5d);
  }
  setItems() {
    return this.byte(0x75);
  }
  appends() {
    return this.byte(0x65);
  }
  reduce() {
    return this.byte(0x52);
  }
  build() {
    return this.byte(0x62);
  }
  binPersId() {
    return this.byte(0x51);
  }
  none() {
    return this.byte(0x4e);
  }
  bool(value) {
    return this.byte(value ? 0x88 : 0x89);
  }
  stop() {
    return this.byte(0x2e);
  }
  toBuffer() {
    this.flush();
    return Buffer.concat(this.chunks, this.size);
  }
}
