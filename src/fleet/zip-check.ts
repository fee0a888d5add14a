import yauzl from 'yauzl';

export interface ZipLimits {
  maxEntries: number;
  maxUncompressed: number;
  /** largest uncompressed/compressed ratio one entry may have (zip bombs sit near 1000:1; real logs compress 10-50:1) */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 200_000, maxUncompressed: 64 * 1024 ** 3, maxRatio: 400 };

/**
 * Refuse an uploaded collection before it is queued if it is not a zip, or its central directory shows a
 * path traversal, too many entries, or a bomb. The scanner checks again while extracting; this gives the
 * uploader a clear answer at once.
 */
export function checkZip(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<{ entries: number; uncompressed: number }> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(new Error(`not a readable zip file: ${err?.message ?? 'unknown error'}`));
      let entries = 0;
      let uncompressed = 0;
      const bad = (msg: string) => { zip.close(); reject(new Error(msg)); };
      zip.on('error', (e: Error) => reject(new Error(/relative path|absolute path/i.test(e.message) ? `zip entry escapes the collection (${e.message})` : `corrupt zip: ${e.message}`)));
      zip.on('entry', (e: yauzl.Entry) => {
        entries++;
        const name = e.fileName.replace(/\\/g, '/');
        if (entries > limits.maxEntries) return bad(`zip has more than ${limits.maxEntries} entries`);
        if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.split('/').includes('..')) return bad(`zip entry escapes the collection: ${JSON.stringify(name.slice(0, 200))}`);
        uncompressed += e.uncompressedSize;
        if (uncompressed > limits.maxUncompressed) return bad(`zip expands to more than ${limits.maxUncompressed} bytes`);
        if (e.uncompressedSize > 1024 * 1024 && e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxRatio) {
          return bad(`zip entry ${JSON.stringify(name.slice(0, 200))} compresses ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}:1, refused as a zip bomb`);
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve({ entries, uncompressed }));
      zip.readEntry();
    });
  });
}
