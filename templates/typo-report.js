// The typo reporter of canonical article pages: select text, press Ctrl+Enter (Cmd+Enter
// on macOS; on touch screens, a button next to the selection), check the text in the
// dialog, send. No dependencies; every string it shows comes from the page, which has them
// from the locale files (partials/typo-reporter-dialog.njk). Published as
// assets/polyfeed/typo-report.js; a site can override it with its own templates/typo-report.js.
(() => {
  const dialog = document.getElementById('typo-report');
  if (!dialog || typeof dialog.showModal !== 'function') return;
  const MAX_SELECTION = 256;
  const CONTEXT = 140;
  const form = dialog.querySelector('form');
  const quote = dialog.querySelector('[data-typo-context]');
  const comment = dialog.querySelector('textarea[name="comment"]');
  const status = dialog.querySelector('[data-typo-status]');
  const send = dialog.querySelector('[data-typo-send]');
  const cancel = dialog.querySelector('[data-typo-cancel]');
  const hint = document.querySelector('[data-typo-hint]');
  const touch = document.querySelector('[data-typo-touch]');
  const text = (name) => dialog.dataset[name] || '';
  let report = null;
  let returnFocus = null;
  let hintTimer = 0;

  /** Whether keys typed here are the reader's text (Ctrl+Enter there is not ours). */
  function isTextField(element) {
    if (!(element instanceof Element)) return false;
    return Boolean(
      element.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]'),
    );
  }

  /** The selection with up to CONTEXT characters of its block before and after it. */
  function readSelection() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    const chosen = selection.toString().replace(/\s+/g, ' ').trim();
    if (!chosen) return null;
    const start = range.startContainer;
    const element = start.nodeType === Node.ELEMENT_NODE ? start : start.parentElement;
    const block =
      element?.closest('p, li, h1, h2, h3, h4, h5, h6, blockquote, figcaption, td, th') ||
      document.body;
    const before = document.createRange();
    before.selectNodeContents(block);
    before.setEnd(range.startContainer, range.startOffset);
    const after = document.createRange();
    after.selectNodeContents(block);
    after.setStart(range.endContainer, range.endOffset);
    const squash = (value) => value.replace(/\s+/g, ' ');
    return {
      selection: chosen.slice(0, MAX_SELECTION),
      contextBefore: squash(before.toString()).slice(-CONTEXT).trimStart(),
      contextAfter: squash(after.toString()).slice(0, CONTEXT).trimEnd(),
      rect: range.getBoundingClientRect(),
    };
  }

  function showHint() {
    if (!hint) return;
    hint.textContent = hint.dataset.text || '';
    hint.hidden = false;
    clearTimeout(hintTimer);
    hintTimer = setTimeout(() => {
      hint.hidden = true;
    }, 4000);
  }

  function open(found) {
    report = found;
    // The sentence as text nodes around a <mark>: nothing from the page is parsed as HTML.
    quote.replaceChildren(
      document.createTextNode(found.contextBefore),
      Object.assign(document.createElement('mark'), { textContent: found.selection }),
      document.createTextNode(found.contextAfter),
    );
    comment.value = '';
    status.textContent = '';
    send.hidden = false;
    send.disabled = false;
    if (touch) touch.hidden = true;
    returnFocus = document.activeElement;
    dialog.showModal();
    comment.focus();
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  dialog.addEventListener('close', () => {
    report = null;
    if (returnFocus && typeof returnFocus.focus === 'function') returnFocus.focus();
    returnFocus = null;
  });
  cancel.addEventListener('click', close);

  // Keep Tab inside the dialog (showModal makes the page inert; this also wraps around).
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const focusable = [
      ...dialog.querySelectorAll('textarea, button:not([hidden]):not([disabled])'),
    ];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || dialog.open) return;
    if (isTextField(event.target)) return;
    event.preventDefault();
    const found = readSelection();
    if (found) open(found);
    else showHint();
  });

  // Touch screens have no Ctrl+Enter: a button appears next to the selection instead.
  if (touch && window.matchMedia('(pointer: coarse)').matches) {
    document.addEventListener('selectionchange', () => {
      const found = !dialog.open && readSelection();
      if (!found) {
        touch.hidden = true;
        return;
      }
      touch.hidden = false;
      touch.style.top = `${window.scrollY + found.rect.bottom + 8}px`;
      touch.style.left = `${Math.max(8, window.scrollX + found.rect.left)}px`;
    });
    touch.addEventListener('click', () => {
      const found = readSelection();
      if (found) open(found);
      else showHint();
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!report) return;
    send.disabled = true;
    status.textContent = text('sending');
    const body = {
      selection: report.selection,
      contextBefore: report.contextBefore,
      contextAfter: report.contextAfter,
      comment: comment.value.trim(),
      url: dialog.dataset.url,
      lang: dialog.dataset.lang,
      storyId: dialog.dataset.story,
      // The honeypot: hidden from people, so only a bot fills it (the server then stores nothing).
      website: form.elements.website ? form.elements.website.value : '',
    };
    let message = text('failure');
    try {
      const response = await fetch(dialog.dataset.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) message = answer.duplicate ? text('duplicate') : text('thanks');
      else if (response.status === 429) message = text('tooMany');
      if (response.ok) send.hidden = true;
    } catch {
      // Offline or blocked: the failure message says to try again later.
    }
    send.disabled = false;
    status.textContent = message;
  });
})();
