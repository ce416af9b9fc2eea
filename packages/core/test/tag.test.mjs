import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NETWORK_CODES, NETWORKS, contentHash, quoteTag } from '@chorus/core';

describe('quoteTag', () => {
  it('names the quote by its instance hash (6 characters) and each target by its letter, within 11 characters', () => {
    const targets = [...NETWORKS, 'native', 'copy'];
    assert.deepEqual(Object.keys(NETWORK_CODES).sort(), [...targets].sort());
    assert.equal(new Set(Object.values(NETWORK_CODES)).size, targets.length, 'letters are unique');
    for (const target of targets) {
      const tag = quoteTag('who-acts', target);
      assert.equal(tag, `cq=${contentHash('who-acts').slice(0, 6)}.${NETWORK_CODES[target]}`, target);
      assert.match(tag, /^cq=[0-9a-z]{1,6}\.[a-z]$/);
      assert.ok(tag.length <= 11);
    }
  });

  it('keeps contentHash as the collector resolves it', () => {
    assert.equal(contentHash('who-acts'), contentHash('who-acts'));
    assert.equal(contentHash(''), (0x811c9dc5).toString(36));
  });
});
