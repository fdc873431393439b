/** Where an address routes: only "public" ones leave the local network. */
export type AddressScope = "public" | "private" | "loopback" | "link-local" | "documentation" | "reserved";

/** Parses dotted-quad IPv4 without leading zeros (which some parsers read as octal); undefined otherwise. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

export function ipv4Scope(octets: readonly number[]): AddressScope {
  const [a = 0, b = 0, c = 0] = octets;
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b >= 64 && b <= 127) return "private"; // carrier-grade NAT
  if (a === 127) return "loopback";
  if (a === 169 && b === 254) return "link-local";
  if (
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  ) {
    return "documentation";
  }
  if (a === 0 || a >= 224 || (a === 198 && (b === 18 || b === 19)) || (a === 192 && b === 0 && c === 0))
    return "reserved";
  return "public";
}

/** Parses an IPv6 address (with `::` and an optional trailing IPv4) into eight 16-bit groups. */
export function parseIpv6(text: string): number[] | undefined {
  let body = text.toLowerCase();
  const zone = body.indexOf("%");
  if (zone !== -1) body = body.slice(0, zone);
  const lastColon = body.lastIndexOf(":");
  if (body.includes(".", lastColon)) {
    // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two groups.
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (!v4) return undefined;
    const high = ((v4[0]! << 8) | v4[1]!).toString(16);
    const low = ((v4[2]! << 8) | v4[3]!).toString(16);
    body = `${body.slice(0, lastColon + 1)}${high}:${low}`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const parse = (half: string): number[] | undefined => {
    if (half === "") return [];
    const groups: number[] = [];
    for (const group of half.split(":")) {
      if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
      groups.push(Number.parseInt(group, 16));
    }
    return groups;
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const known = head.length + rest.length;
  if (halves.length === 1) return known === 8 ? head : undefined;
  if (known > 7) return undefined;
  return [...head, ...Array<number>(8 - known).fill(0), ...rest];
}

export function ipv6Scope(groups: number[]): AddressScope {
  const [first = 0, second = 0] = groups;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return ipv4Scope([groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff]);
  }
  if (groups.slice(0, 7).every((group) => group === 0)) return groups[7] === 1 ? "loopback" : "reserved";
  if ((first & 0xffc0) === 0xfe80) return "link-local";
  if ((first & 0xfe00) === 0xfc00) return "private";
  if (first === 0x2001 && second === 0x0db8) return "documentation";
  // Only global unicast (2000::/3) is routed on the internet today.
  return (first & 0xe000) === 0x2000 ? "public" : "reserved";
}
