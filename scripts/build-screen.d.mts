export function screenBuildIsStale(): boolean
export function ensureScreenBuilt(options?: { log?: (message: string) => void }): Promise<boolean>
export function buildScreen(options?: { log?: (message: string) => void }): Promise<void>
