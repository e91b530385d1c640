import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chooseFieldName } from '../../../lib/sealing/update/chooseFieldName.js';

test('a free name is used as it is', () => {
  assert.equal(chooseFieldName('Seal1', new Set(['Name'])), 'Seal1');
});

test('trailing digits count up past every taken name', () => {
  assert.equal(chooseFieldName('Seal1', new Set(['Seal1', 'Seal2', 'Seal4'])), 'Seal3');
  assert.equal(chooseFieldName('Seal9', new Set(['Seal9'])), 'Seal10');
});

test('a name without digits gets 2, then 3, appended', () => {
  assert.equal(chooseFieldName('Approval', new Set(['Approval'])), 'Approval2');
  assert.equal(chooseFieldName('Approval', new Set(['Approval', 'Approval2'])), 'Approval3');
});
