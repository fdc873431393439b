import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RespClient } from "./resp-client.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A fake Redis: answers each command (read as one chunk) with the next canned reply, split into 1-byte writes. */
async function fakeRedis(replies: string[], received: string[] = []): Promise<number> {
  server = createServer((socket: Socket) => {
    socket.on("data", (chunk) => {
      received.push(chunk.toString("latin1"));
      const reply = replies.shift() ?? "+OK\r\n";
      for (const byte of Buffer.from(reply, "utf8")) socket.write(Buffer.from([byte]));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

describe("RespClient", () => {
  it("encodes commands as RESP arrays and decodes every reply type, however the bytes are split", async () => {
    const received: string[] = [];
    const port = await fakeRedis(
      [
        "+PONG\r\n",
        ":42\r\n",
        "$4\r\nhé!\r\n",
        "$-1\r\n",
        "*3\r\n:1\r\n*2\r\n$1\r\na\r\n$0\r\n\r\n*-1\r\n",
        "-ERR nope\r\n",
      ],
      received,
    );
    const client = new RespClient({ host: "127.0.0.1", port });
    let connected = false;
    client.onconnect = () => {
      connected = true;
    };
    await client.connect();
    expect(connected).toBe(true);
    expect(await client.send("PING", [])).toBe("PONG");
    expect(await client.incr("n")).toBe(42);
    expect(await client.get("k")).toBe("hé!");
    expect(await client.get("missing")).toBeNull();
    expect(await client.send("EVALSHA", ["x", Buffer.from([0, 255])])).toEqual([1, ["a", ""], null]);
    await expect(client.send("BAD", [])).rejects.toThrow("ERR nope");
    expect(received[0]).toBe("*1\r\n$4\r\nPING\r\n");
    expect(received[4]).toBe("*3\r\n$7\r\nEVALSHA\r\n$1\r\nx\r\n$2\r\n\u0000\u00ff\r\n");
    client.close();
    expect(client.connected).toBe(false);
    await expect(client.send("PING", [])).rejects.toThrow(/closed/);
  });

  it("authenticates and selects the database before the first command", async () => {
    const received: string[] = [];
    const port = await fakeRedis(["+OK\r\n", "+OK\r\n", "+PONG\r\n"], received);
    const client = new RespClient({ host: "127.0.0.1", port, username: "u", password: "p", db: 2 });
    await client.connect();
    await client.send("PING", []);
    expect(received).toEqual([
      "*3\r\n$4\r\nAUTH\r\n$1\r\nu\r\n$1\r\np\r\n",
      "*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n",
      "*1\r\n$4\r\nPING\r\n",
    ]);
    client.close();
  });

  it("drops the connection on a malformed reply and rejects what was pending", async () => {
    const port = await fakeRedis(["$99999999999\r\n", "?what\r\n"]);
    const client = new RespClient({ host: "127.0.0.1", port });
    let closedWith: unknown;
    client.onclose = (error: unknown) => {
      closedWith = error;
    };
    await client.connect();
    await expect(client.send("GET", ["k"])).rejects.toThrow(/closed/);
    expect(client.connected).toBe(false);
    expect(closedWith).toBeInstanceOf(Error);
  });
});
