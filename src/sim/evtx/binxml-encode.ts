// Binary XML encoder into one chunk buffer: the inverse of src/readers/evtx/binxml.ts.
// Names are written inline at first use in a chunk and referenced by offset afterwards, as Windows does.

/** A piece of element content or attribute value. */
export type Part =
  | string
  | { subst: number; type: number; optional?: boolean }
  | { cdata: string }
  | { charRef: number }
  | { entity: string }
  | { pi: string; data: string };

export interface XmlNode {
  el: string;
  /** attribute name -> value parts */
  attrs?: [string, Part[]][];
  children?: (XmlNode | Part)[];
  /** substitution this element depends on: omitted by readers when that value is absent */
  dep?: number;
}

export class ChunkFull extends Error {}

function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 65599) + s.charCodeAt(i)) >>> 0;
  return h & 0xffff;
}

export class BinXmlWriter {
  pos = 0;
  readonly names = new Map<string, number>();
  /** names added since the last mark (for rollback when a record does not fit) */
  private added: string[] = [];
  private embedded = false;

  constructor(readonly b: Buffer, readonly limit: number) {}

  mark(): number {
    this.added = [];
    return this.pos;
  }

  rollback(pos: number): void {
    for (const n of this.added) this.names.delete(n);
    this.added = [];
    this.pos = pos;
  }

  private room(n: number): void {
    if (this.pos + n > this.limit) throw new ChunkFull();
  }

  u8(v: number): void {
    this.room(1);
    this.b[this.pos++] = v;
  }

  u16(v: number): void {
    this.room(2);
    this.b.writeUInt16LE(v, this.pos);
    this.pos += 2;
  }

  u32(v: number): void {
    this.room(4);
    this.b.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
  }

  bytes(src: Uint8Array): void {
    this.room(src.length);
    this.b.set(src, this.pos);
    this.pos += src.length;
  }

  utf16(s: string): void {
    this.room(s.length * 2);
    this.pos += this.b.write(s, this.pos, 'utf16le');
  }

  /** a name reference: the offset, followed by the name itself the first time */
  nameRef(name: string): void {
    const known = this.names.get(name);
    if (known !== undefined) return this.u32(known);
    const at = this.pos + 4;
    this.u32(at);
    this.u32(0); // next name in hash bucket
    this.u16(nameHash(name));
    this.u16(name.length);
    this.utf16(name);
    this.u16(0);
    this.names.set(name, at);
    this.added.push(name);
  }

  part(p: Part): void {
    if (typeof p === 'string') {
      this.u8(0x05);
      this.u8(0x01);
      this.u16(p.length);
      this.utf16(p);
    } else if ('subst' in p) {
      this.u8(p.optional ? 0x0e : 0x0d);
      this.u16(p.subst);
      this.u8(p.type);
    } else if ('cdata' in p) {
      this.u8(0x07);
      this.u16(p.cdata.length);
      this.utf16(p.cdata);
    } else if ('charRef' in p) {
      this.u8(0x48); // with the more-data flag: libfwevt 20181227 accepts no other form
      this.u16(p.charRef);
    } else if ('entity' in p) {
      this.u8(0x49);
      this.nameRef(p.entity);
    } else {
      this.u8(0x0a);
      this.nameRef(p.pi);
      this.u8(0x0b);
      this.u16(p.data.length);
      this.utf16(p.data);
    }
  }

  element(n: XmlNode): void {
    const attrs = n.attrs ?? [];
    this.u8(attrs.length ? 0x41 : 0x01);
    if (!this.embedded) this.u16(n.dep ?? 0xffff);
    const sizeAt = this.pos;
    this.u32(0);
    this.nameRef(n.el);
    let listAt = -1;
    if (attrs.length) {
      listAt = this.pos;
      this.u32(0);
    }
    const listStart = this.pos;
    attrs.forEach(([name, parts], i) => {
      this.u8(i < attrs.length - 1 ? 0x46 : 0x06);
      this.nameRef(name);
      for (const p of parts) this.part(p);
    });
    if (listAt >= 0) this.b.writeUInt32LE(this.pos - listStart, listAt);
    const children = n.children ?? [];
    if (children.length === 0) {
      this.u8(0x03);
    } else {
      this.u8(0x02);
      for (const c of children) {
        if (typeof c === 'object' && 'el' in c) this.element(c);
        else this.part(c);
      }
      this.u8(0x04);
    }
    this.b.writeUInt32LE(this.pos - sizeAt - 4, sizeAt);
  }

  /** fragment header, nodes, end of fragment; `embedded` (binary XML inside a value) omits dependency ids */
  fragment(nodes: XmlNode[], embedded = false): void {
    const saved = this.embedded;
    this.embedded = embedded;
    try {
      this.bytes(FRAGMENT_HEADER);
      for (const n of nodes) this.element(n);
      this.u8(0x00);
    } finally {
      this.embedded = saved;
    }
  }
}

const FRAGMENT_HEADER = Uint8Array.of(0x0f, 0x01, 0x01, 0x00);
