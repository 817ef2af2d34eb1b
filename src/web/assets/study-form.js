/* global document, fetch, FormData, URLSearchParams, setTimeout, clearTimeout, Event */
// The study form's time ranges: Add time range / Remove buttons per day (and per date
// override). Without this script each list renders one spare empty row that the server
// ignores when left empty; with it, the spare rows go and the buttons appear. An ES
// module from our origin: CSP-clean.

/** The next free row number of a list: names carry it (`weekly[mon][3][start]`), ids too. */
function nextIndex(list) {
  let highest = -1;
  for (const input of list.querySelectorAll('input[name]')) {
    const match = /\[(\d+)\]/.exec(input.name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}

/** A clean copy of `row` numbered `index`: values, errors and error styling removed. */
function freshRow(row, index) {
  const copy = row.cloneNode(true);
  copy.removeAttribute('data-spare');
  copy.classList.remove('has-error');
  for (const error of copy.querySelectorAll('.field-error')) error.remove();
  for (const input of copy.querySelectorAll('input')) {
    input.value = '';
    input.name = input.name.replace(/\[\d+\]/, `[${index}]`);
    input.id = input.id.replace(/-\d+-/, `-${index}-`);
  }
  for (const label of copy.querySelectorAll('label')) {
    label.htmlFor = label.htmlFor.replace(/-\d+-/, `-${index}-`);
  }
  return copy;
}

function enhance(fieldset) {
  const list = fieldset.querySelector('[data-row-list]');
  const add = fieldset.querySelector('[data-add-row]');
  if (!list || !add) return;
  const template = freshRow(list.querySelector('[data-row]'), 0);
  const wire = (row) => {
    const remove = row.querySelector('[data-remove-row]');
    remove.hidden = false;
    remove.addEventListener('click', () => {
      row.remove();
      add.focus();
      // Removing a row changes the settings as much as typing does: the preview follows.
      fieldset.dispatchEvent(new Event('input', { bubbles: true }));
    });
  };
  for (const spare of list.querySelectorAll('[data-spare]')) spare.remove();
  for (const row of list.querySelectorAll('[data-row]')) wire(row);
  add.hidden = false;
  add.addEventListener('click', () => {
    const row = freshRow(template, nextIndex(list));
    list.append(row);
    wire(row);
    row.querySelector('input')?.focus();
  });
}

/**
 * The slot preview follows the form as it is typed: the form's fields (CSRF token
 * included) go to the server, which checks and computes them with the same code as
 * saving; the newest answer wins.
 */
function livePreview(form) {
  const section = document.querySelector('[data-preview-url]');
  if (!section) return;
  const part = section.querySelector('[data-preview-part]');
  const status = section.querySelector('[data-preview-status]');
  let timer;
  let asked = 0;
  const refresh = async () => {
    asked += 1;
    const mine = asked;
    try {
      const response = await fetch(section.getAttribute('data-preview-url'), {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        headers: { accept: 'text/html' },
      });
      if (!response.ok) return;
      const markup = await response.text();
      if (mine !== asked) return;
      part.innerHTML = markup;
      status.textContent = `Preview updated: ${part.querySelector('[data-preview-summary]')?.textContent ?? ''}`;
    } catch {
      // Offline for a moment: the next change asks again.
    }
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  };
  form.addEventListener('input', soon);
  form.addEventListener('change', soon);
}

for (const fieldset of document.querySelectorAll('[data-study-form] [data-rows]')) enhance(fieldset);
const studyForm = document.querySelector('form[data-study-form]');
if (studyForm) livePreview(studyForm);
