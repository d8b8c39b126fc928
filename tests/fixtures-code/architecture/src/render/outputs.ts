export const outputs: string[] = [];
