import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadLocalSettings } from '../../../local/stack/loadLocalSettings.js';

describe('loadLocalSettings', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'sealops-settings-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('returns the Values of local.settings.json as strings, as Core Tools does', async () => {
    const path = join(dir, 'local.settings.json');
    await writeFile(path, JSON.stringify({ IsEncrypted: false, Values: { A: 'x', B: 3 } }));
    assert.deepEqual(await loadLocalSettings(path), { A: 'x', B: '3' });
  });

  it('treats a missing file as no settings', async () => {
    assert.deepEqual(await loadLocalSettings(join(dir, 'absent.json')), {});
  });

  it('names the file when it is not JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "Values": ');
    await assert.rejects(loadLocalSettings(path), { message: `${path} is not valid JSON.` });
  });
});
