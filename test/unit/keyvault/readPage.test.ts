import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { BadParameterError } from '../../../local/keyvault/errors/BadParameterError.js';
import { readPage } from '../../../local/keyvault/readPage.js';

const ITEMS = ['a', 'b', 'c', 'd', 'e'];
const LIST_URL = 'https://127.0.0.1:4443/secrets';

function pageAt(query: string): ReturnType<typeof readPage<string>> {
  return readPage(ITEMS, {
    query: new URLSearchParams(query),
    listUrl: LIST_URL,
    apiVersion: '7.6',
  });
}

void describe('readPage', () => {
  void test('returns everything with a null nextLink when the list fits in 25', () => {
    assert.deepEqual(pageAt(''), { value: ITEMS, nextLink: null });
  });

  void test('walks the list in maxresults steps until nextLink is null', () => {
    const values: string[][] = [];
    let query: string | undefined = 'maxresults=2';

    while (query !== undefined) {
      const page = pageAt(query);
      values.push([...page.value]);
      query = page.nextLink === null ? undefined : page.nextLink.split('?')[1];
    }

    assert.deepEqual(values, [['a', 'b'], ['c', 'd'], ['e']]);
  });

  void test('refuses a skip token it did not issue', () => {
    assert.throws(
      () => pageAt('$skiptoken=not-a-token'),
      (error: unknown) => {
        assert.ok(error instanceof BadParameterError);
        assert.equal(
          error.message,
          'The parameter $skiptoken is not valid: it must be a token from a nextLink of this vault.',
        );
        return true;
      },
    );
  });

  void test('refuses maxresults that is not an integer from 1 to 25', () => {
    for (const maxresults of ['0', '26', '2.5', 'ten']) {
      assert.throws(() => pageAt(`maxresults=${maxresults}`), BadParameterError, maxresults);
    }
  });
});
