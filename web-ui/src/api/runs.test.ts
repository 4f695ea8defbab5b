import { describe, expect, it } from 'vitest';
import openapi from './openapi.json';
import { MODEL_FAMILIES } from './runs';

// The filter lists the UI offers before any request are the API's own validation patterns.
describe('run choices', () => {
  const run = openapi.components.schemas.RunRequest.properties;

  it('offers exactly the model families the API accepts', () => {
    expect([...MODEL_FAMILIES]).toEqual(run.modelFamily.pattern.split('|'));
  });

  it('leaves which regions exist to the event source: the API checks only the code format', () => {
    const code = new RegExp(`^(?:${(run.regions.items as { pattern: string }).pattern})$`);
    expect(['US', 'SG', 'BR'].every((r) => code.test(r))).toBe(true);
    expect(['us', 'us-east', ''].some((r) => code.test(r))).toBe(false);
  });
});
