declare module 'postject' { export function inject(file: string, name: string, data: Buffer, o: { sentinelFuse: string; machoSegmentName?: string }): Promise<void>; }
