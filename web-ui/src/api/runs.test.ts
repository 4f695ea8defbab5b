import { describe, expect, it } from 'vitest';
import openapi from './openapi.json';
import { MODEL_FAMILIES, REGIONS } from './runs';

// The filter lists the UI offers before any request are the API's own validation patterns.
describe('run choices', () => {
  const run = openapi.components.schemas.RunRequest.properties;

  it('offers exactly the model families the API accepts', () => {
    expect([...MODEL_FAMILIES]).toEqual(run.modelFamily.pattern.split('|'));
  });

  it('offers exactly the regions the API accepts', () => {
    expect([...REGIONS]).toEqual((run.regions.items as { pattern: string }).pattern.split('|'));
  });
});
