// Types of gen-api.mjs for src/api/schema.test.ts.
export const DOCUMENT: string;
export const SCHEMA: string;
export function normalize(document: unknown): any;
export function generateSchema(path?: string): Promise<string>;
export function committedSchema(): Promise<string>;
