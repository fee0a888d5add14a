// Windows event log (.evtx) reader: records as LogRecords, streamed in file order.
export { readEvtx, type ReadEvtxOptions, type EvtxReadSummary } from './read.js';
export { parseChunk, CHUNK_SIZE, FILE_HEADER_SIZE, type EvtxRecord, type EvtxProblem, type EvtxPrefilter, type ChunkOptions } from './chunk.js';
export { parseFileHeader, type EvtxFileHeader } from './file-header.js';
export { flattenEvent, flattenRecord } from './fields.js';
export { closeEvtxPool } from './pool.js';
