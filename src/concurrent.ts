// Run an async function over many items with a bounded number in flight, results in input order.
// File I/O on thousands of small files is latency-bound: overlapping the reads is what makes it fast.
export async function mapConcurrent<T, R>(items: readonly T[], inFlight: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const work = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, inFlight), items.length) }, work));
  return out;
}
