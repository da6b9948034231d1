// Streamlit's own English words that CSS cannot reach, written in the UI language
// (lib/ui/chrome.py mounts this in the Chinese UI only). A fixed script of ours: its words come
// from `data.rules` (our fixed dictionary, lib/core/strings/chrome.py), never from users or files.
// Each rule: {scope, skip, attr, words: [[english, ours], ...]}. Within every element matching
// `scope` (outside `skip`), a text node (or with `attr`, the scope element's attribute) reading
// exactly `english` is rewritten in place; `{n}` in a word stands for a number, kept. Only a
// text node's characters change (never a node added or removed), so React keeps its own nodes.
// A MutationObserver repeats the pass whenever the page changes: React redrawing a word, a menu
// opening, the dialog shown when the server has gone (the page's script keeps running then).

const HOLE = /\{(\w+)\}/g;

function compile(english, ours) {
  // A word -> a test of a trimmed text giving ours, numbers kept, or null.
  if (!/\{\w+\}/.test(english)) {
    return (text) => (text === english ? ours : null);
  }
  const names = [];
  const source = english
    .split(HOLE)
    .map((part, i) => {
      if (i % 2) { names.push(part); return '(\\d+)'; }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const pattern = new RegExp('^' + source + '$');
  return (text) => {
    const found = pattern.exec(text);
    if (!found) { return null; }
    return ours.replace(HOLE, (_, name) => found[1 + names.indexOf(name)]);
  };
}

function prepare(rules) {
  // The rules with each word compiled, and one selector finding every scope at once.
  const ready = rules.map((rule) => ({
    scope: rule.scope,
    skip: rule.skip || null,
    attr: rule.attr || null,
    tests: rule.words.map(([english, ours]) => compile(english, ours)),
  }));
  return { ready, any: ready.map((rule) => rule.scope).join(', ') };
}

function ours(tests, text) {
  // Our word for a text, or null.
  for (const test of tests) {
    const word = test(text);
    if (word !== null) { return word; }
  }
  return null;
}

function rewriteText(rule, root) {
  // Every text node under root (outside rule.skip) reading one of the rule's words, rewritten.
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data.trim();
    if (!text) { continue; }
    if (rule.skip && node.parentElement && node.parentElement.closest(rule.skip)) { continue; }
    const word = ours(rule.tests, text);
    if (word !== null) { node.data = node.data.replace(text, word); }
  }
}

function rewriteAttr(rule, element) {
  // The element's attribute rewritten when it reads one of the rule's words.
  const value = element.getAttribute(rule.attr);
  if (value === null) { return; }
  const word = ours(rule.tests, value.trim());
  if (word !== null) { element.setAttribute(rule.attr, word); }
}

function pass(rules) {
  // One pass over the page: cheap when no scope is on it (one query).
  if (!document.querySelector(rules.any)) { return; }
  for (const rule of rules.ready) {
    for (const element of document.querySelectorAll(rule.scope)) {
      if (rule.attr) { rewriteAttr(rule, element); } else { rewriteText(rule, element); }
    }
  }
}

export default function (component) {
  const rules = prepare((component.data && component.data.rules) || []);
  if (window.__kpiChromeWords) { window.__kpiChromeWords.disconnect(); }
  const observer = new MutationObserver(() => pass(rules));
  window.__kpiChromeWords = observer;
  pass(rules);
  observer.observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['title'],
  });
  return () => {
    observer.disconnect();
    if (window.__kpiChromeWords === observer) { window.__kpiChromeWords = null; }
  };
}
