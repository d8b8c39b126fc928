// "Republish this story" on canonical article pages: the button opens a dialog with the
// licence terms and the HTML to copy (from the page's <template id="republish-html">), and
// "Copy HTML" puts it on the clipboard. The AMP page links here with #republish, which
// opens the dialog at once. No dependencies; every string it shows comes from the page
// (partials/republish-dialog.njk). Published as assets/polyfeed/republish.js; a site can
// override it with its own templates/republish.js.
(() => {
  const dialog = document.getElementById('republish');
  const template = document.getElementById('republish-html');
  const opener = document.querySelector('[data-republish-open]');
  if (!dialog || !template || !opener || typeof dialog.showModal !== 'function') return;
  const code = dialog.querySelector('textarea');
  const status = dialog.querySelector('[data-republish-status]');
  const copy = dialog.querySelector('[data-republish-copy]');
  const close = dialog.querySelector('[data-republish-close]');
  let returnFocus = null;

  code.value = template.innerHTML.trim();

  function open() {
    status.textContent = '';
    returnFocus = document.activeElement;
    dialog.showModal();
    code.focus();
    // All of it selected, shown from its first line (the headline), not scrolled to its end.
    code.setSelectionRange(0, code.value.length, 'backward');
    code.scrollTop = 0;
  }

  dialog.addEventListener('close', () => {
    if (location.hash === '#republish')
      history.replaceState(null, '', location.pathname + location.search);
    if (returnFocus && typeof returnFocus.focus === 'function') returnFocus.focus();
    returnFocus = null;
  });
  close.addEventListener('click', () => dialog.close());

  // Keep Tab inside the dialog (showModal makes the page inert; this also wraps around).
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const focusable = [...dialog.querySelectorAll('textarea, a[href], button:not([disabled])')];
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

  copy.addEventListener('click', async () => {
    let copied = false;
    try {
      await navigator.clipboard.writeText(code.value);
      copied = true;
    } catch {
      // No clipboard access (an old browser, a page without permission): the old way.
      code.focus();
      code.select();
      try {
        copied = document.execCommand('copy');
      } catch {
        copied = false;
      }
    }
    status.textContent = copied ? dialog.dataset.copied || '' : dialog.dataset.copyFailed || '';
  });

  opener.hidden = false;
  opener.addEventListener('click', open);
  if (location.hash === '#republish') open();
})();
