import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";

export interface RespTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: boolean;
}

type Reply = string | number | null | Reply[];

/** Largest reply element or nesting accepted from the server (guards against a confused stream). */
const MAX_BULK_BYTES = 512 * 1024 * 1024;
const MAX_DEPTH = 32;

/**
 * A small Redis client speaking RESP2 over one socket, in the shape of Bun's `RedisClient`
 * (`send`, `connect`, `close`, `duplicate`, `onconnect`/`onclose`), so BullMQ's own adapter for
 * that client (`createBunRedisClient`) runs on it. BullMQ needs a client, and neither ioredis nor
 * node-redis is a dependency of this package. Replies arrive in request order, so every pending
 * command is a FIFO entry; blocking commands simply hold their place.
 */
export class RespClient {
  connected = false;
  onconnect: ((...args: unknown[]) => void) | null = null;
  onclose: ((...args: unknown[]) => void) | null = null;
  onerror: ((...args: unknown[]) => void) | null = null;
  readonly #target: RespTarget;
  #socket: Socket | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];

  constructor(target: RespTarget) {
    this.#target = target;
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    const { host, port } = this.#target;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const opened = this.#target.tls
        ? connectTls({ host, port, servername: host }, () => resolve(opened))
        : connectTcp({ host, port }, () => resolve(opened));
      opened.once("error", reject);
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    this.#socket = socket;
    this.connected = true;
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    socket.on("error", (error) => this.onerror?.(error));
    socket.on("close", () => this.#closed(new Error("Connection closed")));
    // Authenticate and pick the database before anyone else may send.
    if (this.#target.password !== undefined) {
      await this.send("AUTH", [...(this.#target.username ? [this.#target.username] : []), this.#target.password]);
    }
    if (this.#target.db) await this.send("SELECT", [String(this.#target.db)]);
    this.onconnect?.();
  }

  close(): void {
    this.#socket?.destroy();
    this.#closed(new Error("Connection closed"), true);
  }

  async duplicate(): Promise<this> {
    return new RespClient(this.#target) as this;
  }

  send<T = unknown>(command: string, args: readonly (string | Buffer)[]): Promise<T> {
    const socket = this.#socket;
    if (!this.connected || !socket) return Promise.reject(new Error("Connection is closed."));
    const parts: Buffer[] = [Buffer.from(`*${args.length + 1}\r\n`)];
    for (const value of [command, ...args]) {
      const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), "utf8");
      parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
    }
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ resolve: resolve as (reply: Reply) => void, reject });
      socket.write(Buffer.concat(parts));
    });
  }

  async get(key: string): Promise<string | null> {
    return this.send<string | null>("GET", [key]);
  }

  async smembers(key: string): Promise<unknown[]> {
    return this.send<unknown[]>("SMEMBERS", [key]);
  }

  async incr(key: string): Promise<number> {
    return this.send<number>("INCR", [key]);
  }

  #closed(error: Error, intentional = false): void {
    const wasConnected = this.connected;
    this.connected = false;
    this.#socket = undefined;
    this.#buffer = Buffer.alloc(0);
    for (const entry of this.#pending.splice(0)) entry.reject(error);
    if (wasConnected) this.onclose?.(intentional ? undefined : error);
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      let parsed: { reply: Reply | Error; end: number } | undefined;
      try {
        parsed = parseReply(this.#buffer, 0, 0);
      } catch (error) {
        // The stream cannot be trusted past a protocol error: drop the connection.
        this.#socket?.destroy(error as Error);
        return;
      }
      if (!parsed) return;
      this.#buffer = this.#buffer.subarray(parsed.end);
      const entry = this.#pending.shift();
      if (!entry) continue;
      if (parsed.reply instanceof Error) entry.reject(parsed.reply);
      else entry.resolve(parsed.reply);
    }
  }
}

/** One RESP2 reply starting at `offset`, or undefined when more bytes are needed. */
function parseReply(buffer: Buffer, offset: number, depth: number): { reply: Reply | Error; end: number } | undefined {
  if (depth > MAX_DEPTH) throw new Error("Redis reply nested too deeply");
  const lineEnd = buffer.indexOf("\r\n", offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[offset] ?? 0);
  const line = buffer.toString("utf8", offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case "+":
      return { reply: line, end: next };
    case "-":
      return { reply: new Error(line), end: next };
    case ":":
      return { reply: Number(line), end: next };
    case "$": {
      const length = Number(line);
      if (length === -1) return { reply: null, end: next };
      if (!Number.isSafeInteger(length) || length < 0 || length > MAX_BULK_BYTES) throw new Error("bad bulk length");
      if (buffer.length < next + length + 2) return undefined;
      return { reply: buffer.toString("utf8", next, next + length), end: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count === -1) return { reply: null, end: next };
      if (!Number.isSafeInteger(count) || count < 0 || count > 10_000_000) throw new Error("bad array length");
      const items: Reply[] = [];
      let position = next;
      for (let index = 0; index < count; index++) {
        const item = parseReply(buffer, position, depth + 1);
        if (!item) return undefined;
        // An error inside an array (e.g. from EXEC) is kept as the element, as clients do.
        items.push(item.reply instanceof Error ? (item.reply as unknown as Reply) : item.reply);
        position = item.end;
      }
      return { reply: items, end: position };
    }
    default:
      throw new Error(`unexpected Redis reply type ${JSON.stringify(type)}`);
  }
}
