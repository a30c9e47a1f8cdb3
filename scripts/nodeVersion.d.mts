export declare const satisfies: (range: string, version: string) => boolean
export declare const checkNode: (packageJsonPath: string) => void
