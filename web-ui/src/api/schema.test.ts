import { describe, expect, it } from 'vitest';
import { committedSchema, generateSchema, normalize } from '../../scripts/gen-api.mjs';

const REFRESH =
  'src/api/schema.ts is not what src/api/openapi.json generates: run `npm run gen:api` in web-ui/ and commit both ' +
  '(to take the running API\'s document first, see "API types" in web-ui/README.md)';

function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  const line = left.findIndex((text, i) => text !== right[i]);
  const at = line === -1 ? left.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(left[at] ?? '(end of file)')}, generated ${JSON.stringify(right[at] ?? '(end of file)')}`;
}

describe('the generated API types', () => {
  it('are what the committed OpenAPI snapshot generates', async () => {
    const committed = await committedSchema();
    const generated = await generateSchema();
    expect(committed === generated, `${REFRESH}; first difference at ${firstDifference(committed, generated)}`).toBe(true);
  });

  it('read a property the document does not require, and every double, as possibly null', () => {
    const document = {
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            properties: {
              id: { type: 'string' },
              note: { type: 'string' },
              count: { type: 'integer', format: 'int32' },
              score: { $ref: '#/components/schemas/Score' },
              scores: { type: 'object', additionalProperties: { type: 'number', format: 'double' } },
              already: { type: ['number', 'null'], format: 'double' },
            },
          },
          Score: { type: 'number', format: 'double' },
          JsonNode: { type: 'object', properties: { empty: { type: 'boolean' } } },
        },
      },
    };
    const { Thing, Score, JsonNode } = normalize(document).components.schemas;
    expect(Thing.properties.id).toEqual({ type: 'string' });
    expect(Thing.properties.note).toEqual({ type: ['string', 'null'] });
    expect(Thing.properties.count).toEqual({ type: ['integer', 'null'], format: 'int32' });
    expect(Thing.properties.score).toEqual({ anyOf: [{ $ref: '#/components/schemas/Score' }, { type: 'null' }] });
    expect(Thing.properties.scores.additionalProperties).toEqual({ type: ['number', 'null'], format: 'double' });
    expect(Thing.properties.already).toEqual({ type: ['number', 'null'], format: 'double' });
    expect(Score).toEqual({ type: ['number', 'null'], format: 'double' });
    expect(JsonNode).not.toHaveProperty('properties');
    // the snapshot itself is left as the API wrote it
    expect(document.components.schemas.Thing.properties.note).toEqual({ type: 'string' });
  });
});
