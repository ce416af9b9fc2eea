import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeHttpUrl } from '@chorus/core';

test('safeHttpUrl keeps absolute http(s) URLs, normalised', () => {
  assert.equal(safeHttpUrl('https://example.com'), 'https://example.com/');
  assert.equal(safeHttpUrl('http://example.com/a b?q=1#top'), 'http://example.com/a%20b?q=1#top');
  assert.equal(safeHttpUrl('  HTTPS://Example.COM/Path  '), 'https://example.com/Path');
  assert.equal(safeHttpUrl('https://münchen.de/'), 'https://xn--mnchen-3ya.de/');
  assert.equal(safeHttpUrl('https://user@example.com:8443/x'), 'https://user@example.com:8443/x');
});

test('safeHttpUrl resolves relative URLs against the base', () => {
  assert.equal(safeHttpUrl('/post/1', 'https://blog.example/2024/'), 'https://blog.example/post/1');
  assert.equal(safeHttpUrl('post/1', 'https://blog.example/2024/'), 'https://blog.example/2024/post/1');
  assert.equal(safeHttpUrl('//cdn.example/x', 'https://blog.example/'), 'https://cdn.example/x');
  assert.equal(safeHttpUrl('?page=2', 'http://blog.example/list'), 'http://blog.example/list?page=2');
  assert.equal(safeHttpUrl('https://other.example/', 'https://blog.example/'), 'https://other.example/');
});

test('safeHttpUrl refuses everything else', () => {
  const unsafe = [
    undefined,
    null,
    '',
    '   ',
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'mailto:someone@example.com',
    'ftp://example.com/file',
    'file:///etc/passwd',
    'blob:https://example.com/uuid',
    'https://',
    'http://exa mple.com',
    'not a url',
    '/relative/without/base',
  ];
  for (const value of unsafe) assert.equal(safeHttpUrl(value), undefined, JSON.stringify(value));
  // A base does not make an unsafe value safe, and an empty value does not become the base.
  assert.equal(safeHttpUrl('javascript:alert(1)', 'https://blog.example/'), undefined);
  assert.equal(safeHttpUrl('', 'https://blog.example/'), undefined);
  assert.equal(safeHttpUrl('x', 'javascript:alert(1)'), undefined);
  assert.equal(safeHttpUrl('x', 'not a base'), undefined);
});
