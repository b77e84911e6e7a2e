// Wagtail's rich-text editor (Draftail) draws a textbox that no label names (axe: aria-input-field-name).
// Each field already has its visible label; this points the textbox at it, for every editor on the page and
// for those a StreamField adds later. Without JavaScript there is no editor, so nothing is lost.
(function () {
  "use strict";

  function fieldLabel(textbox) {
    const input = textbox.closest("[data-field-input]")?.querySelector("input[type=hidden][id]");
    if (input) {
      const byFor = document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
      if (byFor) return { label: byFor, id: `${input.id}-label` };
    }
    // A StreamField block's child: its label sits beside the field, without "for".
    const block = textbox.closest("[data-contentpath]");
    const label = block && block.querySelector(":scope > label.w-field__label");
    return label && input ? { label, id: `${input.id}-label` } : null;
  }

  function name(textbox) {
    if (textbox.hasAttribute("aria-labelledby") || textbox.hasAttribute("aria-label")) return;
    const found = fieldLabel(textbox);
    if (!found) return;
    if (!found.label.id) found.label.id = found.id;
    textbox.setAttribute("aria-labelledby", found.label.id);
  }

  function nameAll(root) {
    root.querySelectorAll(".public-DraftEditor-content[role=textbox]").forEach(name);
  }

  document.addEventListener("DOMContentLoaded", () => {
    nameAll(document);
    new MutationObserver(() => nameAll(document)).observe(document.body, { childList: true, subtree: true });
  });
})();
