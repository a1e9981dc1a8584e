// Language choice and texts of the web app (api/web/app/i18n.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { chooseLanguage, matchLanguage, apiLangChain, t, languages, textTables } from '../../api/web/app/i18n.js';

test('the URL wins over the browser', () => {
  assert.equal(chooseLanguage('ko', ['ja-JP', 'en']), 'ko');
  assert.equal(chooseLanguage('fr', ['ja-JP', 'en']), 'ja');
  assert.equal(chooseLanguage('', ['de-DE', 'en-GB']), 'en');
  assert.equal(chooseLanguage('', ['de-DE', 'fr']), 'en');
  assert.equal(chooseLanguage(undefined, undefined), 'en');
});

test('Chinese by script, then by region', () => {
  assert.equal(matchLanguage('zh-TW'), 'zh-Hant');
  assert.equal(matchLanguage('zh-HK'), 'zh-Hant');
  assert.equal(matchLanguage('zh-Hant-CN'), 'zh-Hant');
  assert.equal(matchLanguage('zh-CN'), 'zh-Hans');
  assert.equal(matchLanguage('zh'), 'zh-Hans');
  assert.equal(matchLanguage('zh_Hans_SG'), 'zh-Hans');
  assert.equal(matchLanguage('ko-KR'), 'ko');
  assert.equal(matchLanguage('JA'), 'ja');
  assert.equal(matchLanguage(''), null);
});

test('API language chain ends in the feeds\' Japanese', () => {
  assert.equal(apiLangChain('ja'), 'ja');
  assert.equal(apiLangChain('en'), 'en');
  assert.equal(apiLangChain('ko'), 'ko');
  assert.equal(apiLangChain('zh-Hant'), 'zh-Hant');
});

test('every language has every text, with the same placeholders', () => {
  const keys = Object.keys(textTables.en);
  for (const l of languages) {
    for (const k of keys) {
      const s = textTables[l][k];
      assert.ok(typeof s === 'string' && s.length > 0, `${l}.${k}`);
      const ph = (x) => [...x.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
      assert.equal(ph(s), ph(textTables.en[k]), `${l}.${k} placeholders`);
    }
    assert.deepEqual(Object.keys(textTables[l]).sort(), [...keys].sort(), `${l} has no extra keys`);
  }
});

test('placeholders are filled, unknown ones kept', () => {
  assert.equal(t('en', 'found', { n: 3 }), 'Journeys found: 3');
  assert.equal(t('ko', 'walkMin', { m: 5 }), '도보 5분');
  assert.equal(t('en', 'walkMin'), '{m} min walk');
  assert.equal(t('xx', 'search'), 'Search');
});
