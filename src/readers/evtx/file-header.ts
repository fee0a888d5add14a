// The 4 KiB EVTX file header: signature, chunk count, flags, CRC32 of its first 120 bytes.
import { crc32 } from 'node:zlib';

export interface EvtxFileHeader {
  /** "ElfFile\0" present */
  valid: boolean;
  checksumOk: boolean;
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  majorVersion: number;
  minorVersion: number;
  chunkCount: number;
  /** not closed cleanly: the header may lag behind the chunks */
  dirty: boolean;
  full: boolean;
}

export function parseFileHeader(b: Buffer): EvtxFileHeader {
  const valid = b.length >= 128 && b.toString('latin1', 0, 8) === 'ElfFile\0';
  if (!valid) {
    return { valid, checksumOk: false, firstChunk: 0, lastChunk: 0, nextRecordId: 0, majorVersion: 0, minorVersion: 0, chunkCount: 0, dirty: false, full: false };
  }
  const flags = b.readUInt32LE(120);
  return {
    valid,
    checksumOk: crc32(b.subarray(0, 120)) === b.readUInt32LE(124),
    firstChunk: Number(b.readBigUInt64LE(8)),
    lastChunk: Number(b.readBigUInt64LE(16)),
    nextRecordId: Number(b.readBigUInt64LE(24)),
    minorVersion: b.readUInt16LE(36),
    majorVersion: b.readUInt16LE(38),
    chunkCount: b.readUInt16LE(42),
    dirty: (flags & 1) !== 0,
    full: (flags & 2) !== 0,
  };
}
