export function serverBuildIsStale(): boolean
export function buildServer(options?: { log?: (message: string) => void }): Promise<number>
